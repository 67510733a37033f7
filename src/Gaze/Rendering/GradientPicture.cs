using Gaze.Imaging;

namespace Gaze.Rendering;

/// <summary>
/// The signed picture of a gradient-like attribution, as the visualisation papers draw it (Springenberg et al.'s
/// guided backpropagation figures, Keras' deprocess_image): per image, centre on the mean, divide by the standard
/// deviation, scale by 0.1 around mid-grey and clip, so that positive evidence is bright, negative dark and nothing grey.
/// </summary>
public static class GradientPicture
{
    private const double Spread = 0.1;

    /// <summary>Renders <paramref name="values"/> [C,H,W] (C = 1 or 3) as an RGB picture of W x H.</summary>
    /// <param name="values">The attribution, channels first.</param>
    /// <param name="channels">C: 1 for grey models (drawn grey), 3 for colour.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="reversed">The channels are in BGR order (Caffe-style models); drawn as RGB.</param>
    public static RgbImage Render(float[] values, int channels, int height, int width, bool reversed)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"expected 1 or 3 channels, got {channels}", nameof(channels));
        if (values.Length != channels * height * width) throw new ArgumentException("values do not match C x H x W", nameof(values));
        double mean = 0;
        foreach (float v in values) mean += v;
        mean /= values.Length;
        double variance = 0;
        foreach (float v in values) variance += (v - mean) * (v - mean);
        double scale = Spread / (Math.Sqrt(variance / values.Length) + 1e-12);

        var picture = new RgbImage(width, height);
        int plane = height * width;
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                int source = channels == 1 ? 0 : reversed ? 2 - c : c;
                double v = 0.5 + (values[source * plane + i] - mean) * scale;
                picture.Pixels[i * 3 + c] = (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
            }
        }
        return picture;
    }
}
