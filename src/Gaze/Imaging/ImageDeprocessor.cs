using Gaze.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Imaging;

/// <summary>
/// The inverse of <see cref="ImagePreprocessor"/>'s normalisation, for inputs the model side produced (fooling images,
/// class visualisations, style transfer): multiply by the std, add the mean, scale from the pixel range to 0..255,
/// restore RGB order, round and clip. Gray becomes equal R, G and B. No resizing: the image has the tensor's size.
/// </summary>
public sealed class ImageDeprocessor
{
    /// <summary>Creates a deprocessor for <paramref name="input"/>.</summary>
    /// <exception cref="Errors.InvalidOptionException"><paramref name="input"/> is invalid.</exception>
    public ImageDeprocessor(ModelInput input)
    {
        Input = input.Validate();
    }

    /// <summary>The model input convention.</summary>
    public ModelInput Input { get; }

    /// <summary>
    /// The image in <paramref name="tensor"/>: [C,H,W] or [1,C,H,W] for NCHW, [H,W,C] or [1,H,W,C] for NHWC.
    /// Any dtype and device; the tensor is not changed or disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The shape does not fit the layout and channel count.</exception>
    public RgbImage ToImage(Tensor tensor)
    {
        if (tensor.dim() == 4 && tensor.shape[0] != 1)
            throw new ArgumentException($"expected one image, got a batch of {tensor.shape[0]}; use {nameof(ToImages)}", nameof(tensor));
        if (tensor.dim() != 3 && tensor.dim() != 4)
            throw new ArgumentException($"expected an image tensor of 3 or 4 dimensions, got [{string.Join(", ", tensor.shape)}]", nameof(tensor));
        using var scope = torch.NewDisposeScope();
        return ToImages(tensor.dim() == 3 ? tensor.unsqueeze(0) : tensor)[0];
    }

    /// <summary>Every image in a batch tensor [N,C,H,W] or [N,H,W,C] (per layout). The tensor is not changed or disposed.</summary>
    /// <exception cref="ArgumentException">The shape does not fit the layout and channel count.</exception>
    public IReadOnlyList<RgbImage> ToImages(Tensor batch)
    {
        bool planar = Input.Layout == TensorLayout.NCHW;
        int channelAxis = planar ? 1 : 3;
        if (batch.dim() != 4 || batch.shape[channelAxis] != Input.ChannelCount)
            throw new ArgumentException(
                $"expected [N,{(planar ? "C,H,W" : "H,W,C")}] with C = {Input.ChannelCount}, got [{string.Join(", ", batch.shape)}]", nameof(batch));
        int count = (int)batch.shape[0];
        int height = (int)batch.shape[planar ? 2 : 1], width = (int)batch.shape[planar ? 3 : 2];
        int channels = Input.ChannelCount, pixels = height * width;

        float[] values;
        using (torch.NewDisposeScope())
        {
            values = batch.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        }

        var images = new List<RgbImage>(count);
        for (int n = 0; n < count; n++)
        {
            var image = new RgbImage(width, height);
            int offset = n * pixels * channels;
            for (int p = 0; p < pixels; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    byte level = ToLevel(values[offset + (planar ? c * pixels + p : p * channels + c)], c);
                    switch (Input.Channels)
                    {
                        case ChannelOrder.RGB: image.Pixels[3 * p + c] = level; break;
                        case ChannelOrder.BGR: image.Pixels[3 * p + 2 - c] = level; break;
                        default: image.Pixels[3 * p] = image.Pixels[3 * p + 1] = image.Pixels[3 * p + 2] = level; break;
                    }
                }
            }
            images.Add(image);
        }
        return images.AsReadOnly();
    }

    private byte ToLevel(float value, int channel)
    {
        double pixel = (value * Input.StdOf(channel) + Input.MeanOf(channel)) * 255.0 / Input.Range;
        if (double.IsNaN(pixel)) return 0;
        return (byte)Math.Clamp(Math.Round(pixel), 0, 255);
    }
}
