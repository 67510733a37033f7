using Gaze.Imaging;
using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// The reference input of occlusion and RISE until they move to the shared baseline type of the gradient methods:
/// <c>black</c> (a black image through the model's own preprocessing, so that "removed" means black whatever the
/// normalisation) or <c>mean</c> (the zero tensor, the dataset's mean colour). Interim: it accepts these two only.
/// </summary>
internal static class InterimBaseline
{
    /// <summary>A black image through the model's preprocessing.</summary>
    public const string Black = "black";

    /// <summary>The zero tensor.</summary>
    public const string Mean = "mean";

    /// <summary>The <c>--baseline</c> given, or <see cref="Black"/>.</summary>
    /// <exception cref="Errors.InvalidOptionException">Another word.</exception>
    public static string Parse(MethodSettings settings) => settings.Choice(MethodOption.Baseline, Black, Black, Mean);

    /// <summary>The baseline [1,C,H,W] for the NCHW batch <paramref name="input"/>.</summary>
    /// <param name="kind"><see cref="Black"/> or <see cref="Mean"/>.</param>
    /// <param name="context">Its <see cref="AttributionOptions.Input"/> says how a black image is preprocessed.</param>
    /// <param name="input">The batch the baseline stands in for (its channels, size and type).</param>
    /// <exception cref="ArgumentException">The model's input convention has another channel count than the batch.</exception>
    public static Tensor For(string kind, AttributionContext context, Tensor input)
    {
        long channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        if (kind == Mean) return zeros([1, channels, height, width], dtype: input.dtype);
        ModelInput convention = context.Options.Input ?? ModelInput.Default with { Channels = channels == 1 ? ChannelOrder.GRAY : ChannelOrder.RGB };
        if (convention.ChannelCount != channels)
            throw new ArgumentException($"the model's input convention has {convention.ChannelCount} channels, the input {channels}", nameof(input));
        // The input may not be at the convention's size (a model without a fixed size): preprocess at the input's.
        var preprocessor = new ImagePreprocessor(convention with { Size = new InputSize((int)height, (int)width), Layout = TensorLayout.NCHW });
        return preprocessor.Preprocess(new RgbImage((int)width, (int)height)).to(input.dtype);
    }
}
