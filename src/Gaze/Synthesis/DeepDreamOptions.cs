namespace Gaze.Synthesis;

/// <summary>Settings of DeepDream; rates in torchvision's normalised units (scaled by <see cref="InputSpace.Scale"/>).</summary>
public sealed record DeepDreamOptions
{
    /// <summary>The layer whose mean squared activation to amplify.</summary>
    public required string Layer { get; init; }

    /// <summary>Steps per octave.</summary>
    public int Iterations { get; init; } = 10;

    /// <summary>Image pyramid levels, smallest first.</summary>
    public int Octaves { get; init; } = 4;

    /// <summary>The size ratio between octaves.</summary>
    public double OctaveScale { get; init; } = 1.4;

    /// <summary>Each step moves by this times the gradient over its mean magnitude.</summary>
    public double LearningRate { get; init; } = 0.02;

    /// <summary>The largest random shift in pixels.</summary>
    public int MaxJitter { get; init; } = 32;

    /// <summary>The seed of the jitter.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="Errors.InvalidOptionException">A value out of range, naming its option.</exception>
    public DeepDreamOptions Validate()
    {
        SynthesisChecks.Positive(Iterations, "--iterations");
        SynthesisChecks.Positive(Octaves, "--octaves");
        if (!(OctaveScale >= 1) || OctaveScale > 4) throw new Errors.InvalidOptionException("--octave-scale", $"must be between 1 and 4, got {OctaveScale}");
        SynthesisChecks.Positive(LearningRate, "--learning-rate");
        SynthesisChecks.NotNegative(MaxJitter, "--jitter");
        SynthesisChecks.NotNegative(Seed, "--seed");
        return this;
    }
}
