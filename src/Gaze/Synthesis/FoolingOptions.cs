using Gaze.Errors;

namespace Gaze.Synthesis;

/// <summary>How <see cref="FoolingImage"/> perturbs an image.</summary>
public enum FoolingAttack
{
    /// <summary>Normalised gradient steps until the saved image is classified as wanted (CS231n).</summary>
    GradientAscent,

    /// <summary>One signed-gradient step of size epsilon (Goodfellow, Shlens and Szegedy, ICLR 2015).</summary>
    Fgsm,

    /// <summary>Signed-gradient steps projected onto the epsilon box around the image (Madry et al., ICLR 2018).</summary>
    Pgd,
}

/// <summary>Settings of a fooling image; the defaults are CS231n's.</summary>
public sealed record FoolingOptions
{
    /// <summary>The class the image should be taken for; null for an untargeted attack (any class but the original).</summary>
    public int? Target { get; init; }

    /// <summary>The attack.</summary>
    public FoolingAttack Attack { get; init; } = FoolingAttack.GradientAscent;

    /// <summary>The most gradient-ascent steps before giving up.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>
    /// The gradient-ascent step, the L2 norm of each step in torchvision's normalised space (CS231n: 1); scaled by
    /// <see cref="InputSpace.StepLength"/> for other spaces and sizes.
    /// </summary>
    public double LearningRate { get; init; } = 1;

    /// <summary>The L∞ budget of FGSM and PGD, in 8-bit pixel levels.</summary>
    public double Epsilon { get; init; } = 8;

    /// <summary>PGD's step, in 8-bit pixel levels.</summary>
    public double Step { get; init; } = 2;

    /// <summary>PGD's number of steps.</summary>
    public int Iterations { get; init; } = 10;

    /// <summary>The seed of PGD's random start in the epsilon box (Madry et al.); the other attacks are deterministic.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="InvalidOptionException">A value out of range, naming its option.</exception>
    public FoolingOptions Validate()
    {
        if (MaxIterations < 1) throw new InvalidOptionException("--max-iterations", $"must be at least 1, got {MaxIterations}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new InvalidOptionException("--learning-rate", $"must be a positive number, got {LearningRate}");
        if (!(Epsilon > 0) || Epsilon > 255) throw new InvalidOptionException("--epsilon", $"must be above 0 and at most 255 pixel levels, got {Epsilon}");
        if (!(Step > 0) || Step > 255) throw new InvalidOptionException("--step", $"must be above 0 and at most 255 pixel levels, got {Step}");
        if (Iterations < 1) throw new InvalidOptionException("--iterations", $"must be at least 1, got {Iterations}");
        SynthesisChecks.NotNegative(Seed, "--seed");
        return this;
    }
}
