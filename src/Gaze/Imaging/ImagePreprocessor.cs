using Gaze.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Imaging;

/// <summary>
/// Turns images into the float32 tensor a model expects (<see cref="ModelInput"/>): resize (stretch or center-crop),
/// channel order, scale to the pixel range, subtract the mean, divide by the std, lay out as [N,C,H,W] or [N,H,W,C].
/// <see cref="GeometryFor(RgbImage)"/> tells where each input came from in its image.
/// </summary>
public sealed class ImagePreprocessor
{
    // ITU-R BT.601 luma weights, as PIL's convert("L") and OpenCV use.
    internal const double LumaR = 0.299, LumaG = 0.587, LumaB = 0.114;

    // normalised[c][v]: what pixel value v becomes in model channel c (RGB and BGR only).
    private readonly float[][] normalised;

    /// <summary>Creates a preprocessor for <paramref name="input"/>.</summary>
    /// <exception cref="Errors.InvalidOptionException"><paramref name="input"/> is invalid.</exception>
    public ImagePreprocessor(ModelInput input)
    {
        Input = input.Validate();
        normalised = new float[input.ChannelCount][];
        for (int c = 0; c < input.ChannelCount; c++)
        {
            normalised[c] = new float[256];
            for (int v = 0; v < 256; v++) normalised[c][v] = Normalise(v, c);
        }
    }

    /// <summary>The model input convention.</summary>
    public ModelInput Input { get; }

    /// <summary>Where the input for an image of this size comes from.</summary>
    public InputGeometry GeometryFor(int width, int height) => InputGeometry.For(Input, width, height);

    /// <summary>Where the input for <paramref name="image"/> comes from.</summary>
    public InputGeometry GeometryFor(RgbImage image) => GeometryFor(image.Width, image.Height);

    /// <summary>What the model sees of <paramref name="image"/>, as an image: resized and cropped to the input size, colours untouched.</summary>
    public RgbImage ResizeToInput(RgbImage image)
    {
        var geometry = GeometryFor(image);
        var resized = ImageResampler.Resize(image, geometry.ResizedWidth, geometry.ResizedHeight);
        return geometry.ResizedWidth == geometry.InputWidth && geometry.ResizedHeight == geometry.InputHeight
            ? resized
            : ImageResampler.Crop(resized, geometry.CropLeft, geometry.CropTop, geometry.InputWidth, geometry.InputHeight);
    }

    /// <summary>The input tensor for one image: [1,C,H,W] or [1,H,W,C], float32 on the CPU. The caller disposes it.</summary>
    public Tensor Preprocess(RgbImage image) => Preprocess([image]);

    /// <summary>
    /// The input tensor for a batch of images of any sizes: [N,C,H,W] or [N,H,W,C], float32 on the CPU.
    /// The caller disposes it.
    /// </summary>
    public Tensor Preprocess(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0) throw new ArgumentException("a batch needs at least one image", nameof(images));
        int height = Input.Size.Height, width = Input.Size.Width, channels = Input.ChannelCount;
        int perImage = height * width * channels;
        var values = new float[images.Count * perImage];
        for (int n = 0; n < images.Count; n++)
            WriteValues(ResizeToInput(images[n]), values.AsSpan(n * perImage, perImage));
        return torch.tensor(values, Input.TensorShape(images.Count), ScalarType.Float32);
    }

    /// <summary>Normalises an image already at the input size into <paramref name="target"/> in the model's layout.</summary>
    private void WriteValues(RgbImage image, Span<float> target)
    {
        int pixels = image.Width * image.Height, channels = Input.ChannelCount;
        bool planar = Input.Layout == TensorLayout.NCHW;
        byte[] rgb = image.Pixels;
        for (int p = 0; p < pixels; p++)
        {
            byte r = rgb[3 * p], g = rgb[3 * p + 1], b = rgb[3 * p + 2];
            for (int c = 0; c < channels; c++)
            {
                float value = Input.Channels switch
                {
                    ChannelOrder.RGB => normalised[c][c == 0 ? r : c == 1 ? g : b],
                    ChannelOrder.BGR => normalised[c][c == 0 ? b : c == 1 ? g : r],
                    _ => Normalise(LumaR * r + LumaG * g + LumaB * b, c),
                };
                target[planar ? c * pixels + p : p * channels + c] = value;
            }
        }
    }

    // Multiply before dividing so that range 255 gives the pixel value exactly.
    private float Normalise(double pixel, int channel) =>
        (float)((pixel * Input.Range / 255.0 - Input.MeanOf(channel)) / Input.StdOf(channel));
}
