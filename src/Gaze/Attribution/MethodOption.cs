namespace Gaze.Attribution;

/// <summary>
/// A setting that only some methods take, by its command-line name; the registry says which methods take which, so
/// that an option no chosen method takes is an error naming the option and the methods.
/// </summary>
/// <param name="Name">The command-line option, e.g. <c>--layer</c>.</param>
/// <param name="Description">One line for <c>--help</c>.</param>
/// <param name="ValueName">The placeholder of its value in <c>--help</c> (e.g. <c>N</c>), or null for a switch.</param>
public sealed record MethodOption(string Name, string Description, string? ValueName = null)
{
    /// <summary><c>--layer</c>: the target layers (CAM methods).</summary>
    public static MethodOption Layer { get; } = new("--layer", "Comma-separated target layers, averaged (default: the model's CAM layer; see 'gaze layers')");

    /// <summary><c>--aug-smooth</c>: <see cref="AttributionOptions.AugSmooth"/>.</summary>
    public static MethodOption AugSmooth { get; } = new("--aug-smooth", "Average over horizontal flips and brightness 0.9/1.0/1.1 (six runs)");

    /// <summary><c>--eigen-smooth</c>: <see cref="AttributionOptions.EigenSmooth"/>.</summary>
    public static MethodOption EigenSmooth { get; } = new("--eigen-smooth", "Use the first principal component instead of the sum over channels");

    /// <summary><c>--seed</c>: the seed of a method's random numbers (noise, masks).</summary>
    public static MethodOption Seed { get; } = new("--seed", "Seed of the method's random numbers: the same seed gives the same map (default 0)", "S");

    /// <summary><c>--samples</c>: SmoothGrad's and VarGrad's noisy copies.</summary>
    public static MethodOption Samples { get; } = new("--samples", "Noisy copies averaged by smoothgrad and vargrad (default 50)", "N");

    /// <summary><c>--noise</c>: SmoothGrad's noise level.</summary>
    public static MethodOption Noise { get; } = new("--noise", "Noise sigma as a fraction of the input tensor's range, for smoothgrad and vargrad (default 0.15)", "F");

    /// <summary><c>--steps</c>: Integrated Gradients' steps.</summary>
    public static MethodOption Steps { get; } = new("--steps", "Integration steps of integrated-gradients (default 64)", "N");

    /// <summary><c>--rule</c>: Integrated Gradients' quadrature.</summary>
    public static MethodOption Rule { get; } = new("--rule", "Quadrature of integrated-gradients: trapezoid (default), left, right, middle or gauss-legendre", "R");

    /// <summary><c>--baseline</c>: the reference input of Integrated Gradients and occlusion.</summary>
    public static MethodOption Baseline { get; } = new("--baseline", "Reference input: black (default), mean, blur, noise or an image FILE", "B");

    /// <summary><c>--window</c>: occlusion's window side.</summary>
    public static MethodOption Window { get; } = new("--window", "Occlusion window side in input pixels (default 16)", "W");

    /// <summary><c>--stride</c>: occlusion's stride.</summary>
    public static MethodOption Stride { get; } = new("--stride", "Occlusion stride in input pixels (default 8)", "S");

    /// <summary><c>--masks</c>: RISE's random masks.</summary>
    public static MethodOption Masks { get; } = new("--masks", "Random masks of rise (default 4000)", "N");

    /// <summary><c>--cell</c>: RISE's grid.</summary>
    public static MethodOption Cell { get; } = new("--cell", "Grid cells per side of rise's masks (default 7)", "C");

    /// <summary><c>--keep</c>: RISE's keep probability.</summary>
    public static MethodOption Keep { get; } = new("--keep", "Probability that rise keeps a grid cell (default 0.5)", "P");
}
