using Gaze.Errors;

namespace Gaze.Synthesis;

/// <summary>Settings of a class visualisation; the defaults are CS231n's (rates stated for torchvision's normalisation).</summary>
public sealed record ClassVisualizationOptions
{
    /// <summary>The class to visualise.</summary>
    public int Target { get; init; }

    /// <summary>Steps per octave.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>The L2 norm of each step on a 3x224x224 torchvision input (see <see cref="InputSpace.StepLength"/>).</summary>
    public double LearningRate { get; init; } = 25;

    /// <summary>The weight of the L2 penalty on the image (divided by the square of <see cref="InputSpace.Scale"/>).</summary>
    public double L2Weight { get; init; } = 1e-3;

    /// <summary>The largest random shift in pixels of a 224-pixel input (scaled to the model's size).</summary>
    public int MaxJitter { get; init; } = 16;

    /// <summary>Blur every this many steps.</summary>
    public int BlurEvery { get; init; } = 10;

    /// <summary>The blur's sigma in pixels.</summary>
    public double BlurSigma { get; init; } = 0.5;

    /// <summary>Image pyramid levels: 1 works at the model's size; N grows the image N − 1 times by <see cref="OctaveScale"/>.</summary>
    public int Octaves { get; init; } = 1;

    /// <summary>The size ratio between octaves.</summary>
    public double OctaveScale { get; init; } = 1.4;

    /// <summary>The seed of the starting noise and the jitter.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="InvalidOptionException">A value out of range, naming its option.</exception>
    public ClassVisualizationOptions Validate()
    {
        SynthesisChecks.Positive(Iterations, "--iterations");
        SynthesisChecks.Positive(LearningRate, "--learning-rate");
        SynthesisChecks.NotNegative(L2Weight, "--l2-weight");
        SynthesisChecks.NotNegative(MaxJitter, "--jitter");
        SynthesisChecks.Positive(BlurEvery, "--blur-every");
        SynthesisChecks.NotNegative(BlurSigma, "--blur-sigma");
        SynthesisChecks.Positive(Octaves, "--octaves");
        if (!(OctaveScale >= 1) || OctaveScale > 4) throw new InvalidOptionException("--octave-scale", $"must be between 1 and 4, got {OctaveScale}");
        SynthesisChecks.NotNegative(Seed, "--seed");
        return this;
    }
}
