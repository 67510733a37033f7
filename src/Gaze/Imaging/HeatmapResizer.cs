namespace Gaze.Imaging;

/// <summary>
/// Bilinear resizing of heatmaps with half-pixel centres, the convention of <c>cv2.resize(INTER_LINEAR)</c> and
/// <c>torch.nn.functional.interpolate(mode="bilinear", align_corners=False)</c>: output pixel o samples the input at
/// (o + 0.5) * in / out - 0.5, clamped to the first and last input pixel. No antialiasing when shrinking.
/// </summary>
public static class HeatmapResizer
{
    /// <summary>A new heatmap of <paramref name="width"/> x <paramref name="height"/> sampled bilinearly from <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public static Heatmap Resize(Heatmap source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width <= 0 || height <= 0) throw new ArgumentException($"target size must be positive, got {width}x{height}");
        if (width == source.Width && height == source.Height) return new Heatmap(width, height, (float[])source.Values.Clone());

        var columns = AxisSamples(source.Width, width);
        var rows = AxisSamples(source.Height, height);
        float[] input = source.Values;
        int inWidth = source.Width;
        var output = new float[checked(width * height)];

        for (int y = 0; y < height; y++)
        {
            var (y0, y1, fy) = rows[y];
            int top = y0 * inWidth, bottom = y1 * inWidth;
            for (int x = 0; x < width; x++)
            {
                var (x0, x1, fx) = columns[x];
                double upper = (1 - fx) * input[top + x0] + fx * input[top + x1];
                double lower = (1 - fx) * input[bottom + x0] + fx * input[bottom + x1];
                output[y * width + x] = (float)((1 - fy) * upper + fy * lower);
            }
        }
        return new Heatmap(width, height, output);
    }

    /// <summary>For each output index along one axis: the two input indices around its sample point and the weight of the second.</summary>
    private static (int Low, int High, double Fraction)[] AxisSamples(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        var samples = new (int, int, double)[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double position = Math.Max((o + 0.5) * scale - 0.5, 0.0);
            int low = Math.Min((int)position, inSize - 1);
            int high = Math.Min(low + 1, inSize - 1);
            double fraction = high == low ? 0.0 : position - low;
            samples[o] = (low, high, fraction);
        }
        return samples;
    }
}
