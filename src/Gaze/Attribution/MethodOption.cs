namespace Gaze.Attribution;

/// <summary>
/// A setting that only some methods take, by its command-line name; the registry says which methods take which, so
/// that an option no chosen method takes is an error naming the option and the methods.
/// </summary>
/// <param name="Name">The command-line option, e.g. <c>--layer</c>.</param>
/// <param name="Description">One line for <c>--help</c>.</param>
public sealed record MethodOption(string Name, string Description)
{
    /// <summary><c>--layer</c>: the target layers (CAM methods).</summary>
    public static MethodOption Layer { get; } = new("--layer", "Comma-separated target layers, averaged (default: the model's CAM layer; see 'gaze layers')");

    /// <summary><c>--aug-smooth</c>: <see cref="AttributionOptions.AugSmooth"/>.</summary>
    public static MethodOption AugSmooth { get; } = new("--aug-smooth", "Average over horizontal flips and brightness 0.9/1.0/1.1 (six runs)");

    /// <summary><c>--eigen-smooth</c>: <see cref="AttributionOptions.EigenSmooth"/>.</summary>
    public static MethodOption EigenSmooth { get; } = new("--eigen-smooth", "Use the first principal component instead of the sum over channels");
}
