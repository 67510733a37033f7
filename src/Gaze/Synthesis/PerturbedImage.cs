using Gaze.Imaging;
using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Carries a perturbation found at the model's input size back onto the original picture: the change in pixel levels
/// is taken back through the inverse of the preprocessing's resize (and crop), added to the original pixels, rounded
/// and clipped, so the result keeps the original's size and detail. The part a centre crop cut away is unchanged.
/// </summary>
public static class PerturbedImage
{
    /// <summary>
    /// <paramref name="original"/> plus <paramref name="change"/>, a [1,C,H,W] difference in pixel levels in the
    /// model's channel order at the input size that <paramref name="geometry"/> describes.
    /// </summary>
    public static RgbImage Apply(RgbImage original, Tensor change, InputGeometry geometry, ChannelOrder channels)
    {
        int height = (int)change.shape[2], width = (int)change.shape[3];
        float[] values;
        using (NewDisposeScope())
        {
            values = change.detach().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        }
        int plane = height * width;
        var rgbPlanes = new Heatmap[3];
        for (int rgb = 0; rgb < 3; rgb++)
        {
            int c = channels switch
            {
                ChannelOrder.RGB => rgb,
                ChannelOrder.BGR => 2 - rgb,
                _ => 0,
            };
            rgbPlanes[rgb] = HeatmapProjection.ToSource(new Heatmap(width, height, values.AsSpan(c * plane, plane).ToArray()), geometry);
        }
        var result = new RgbImage(original.Width, original.Height);
        for (int p = 0; p < original.Width * original.Height; p++)
        {
            for (int rgb = 0; rgb < 3; rgb++)
            {
                double level = original.Pixels[3 * p + rgb] + rgbPlanes[rgb].Values[p];
                result.Pixels[3 * p + rgb] = (byte)Math.Clamp(Math.Round(level), 0, 255);
            }
        }
        return result;
    }

    /// <summary>The largest and the root-sum-square difference of two images of one size, in pixel levels.</summary>
    public static (double L2, double LInfinity) Distortion(RgbImage a, RgbImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height) throw new ArgumentException("the images differ in size", nameof(b));
        double squares = 0, largest = 0;
        for (int i = 0; i < a.Pixels.Length; i++)
        {
            double d = Math.Abs(a.Pixels[i] - b.Pixels[i]);
            squares += d * d;
            largest = Math.Max(largest, d);
        }
        return (Math.Sqrt(squares), largest);
    }

    /// <summary>
    /// The difference <paramref name="changed"/> − <paramref name="original"/> made visible: mid-grey is no change, and
    /// the largest change reaches black or white.
    /// </summary>
    public static RgbImage Magnified(RgbImage original, RgbImage changed)
    {
        var (_, largest) = Distortion(original, changed);
        double gain = largest > 0 ? 127 / largest : 0;
        var result = new RgbImage(original.Width, original.Height);
        for (int i = 0; i < original.Pixels.Length; i++)
        {
            result.Pixels[i] = (byte)Math.Clamp(Math.Round(128 + gain * (changed.Pixels[i] - original.Pixels[i])), 0, 255);
        }
        return result;
    }
}
