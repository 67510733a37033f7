using Gaze.Imaging;

namespace Gaze.Reporting;

/// <summary>
/// A pixel method's attribution of one image in the model's input tensor space, written beside its heatmap: the
/// values [C,H,W] (channels first, the model's channel order and size, unnormalised), an optional signed gradient
/// picture, and per-explanation figures such as Integrated Gradients' completeness gap.
/// </summary>
/// <param name="Values">The attribution, C x H x W floats.</param>
/// <param name="Channels">C.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="GradientPicture">The signed rendering of a gradient-like attribution, or null.</param>
/// <param name="Figures">Named numbers for results.json (e.g. <c>completeness_gap</c>), possibly empty.</param>
public sealed record InputAttribution(float[] Values, int Channels, int Height, int Width, RgbImage? GradientPicture,
    IReadOnlyDictionary<string, double> Figures);
