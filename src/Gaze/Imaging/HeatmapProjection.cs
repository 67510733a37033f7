namespace Gaze.Imaging;

/// <summary>
/// Carries a heatmap from the model's input frame back onto the original image: the inverse of the resize (and
/// centre crop) that preprocessing applied. Parts of the image that a centre crop cut away get 0.
/// </summary>
public static class HeatmapProjection
{
    /// <summary>The heatmap (at the input size of <paramref name="geometry"/>) at the source image's size.</summary>
    public static Heatmap ToSource(Heatmap input, InputGeometry geometry)
    {
        if (input.Width != geometry.InputWidth || input.Height != geometry.InputHeight)
            throw new ArgumentException($"the heatmap is {input.Width}x{input.Height}, the input {geometry.InputWidth}x{geometry.InputHeight}", nameof(input));
        if (geometry.CropLeft == 0 && geometry.CropTop == 0
            && geometry.ResizedWidth == geometry.InputWidth && geometry.ResizedHeight == geometry.InputHeight)
            return input.Resize(geometry.SourceWidth, geometry.SourceHeight);

        var result = new Heatmap(geometry.SourceWidth, geometry.SourceHeight);
        for (int y = 0; y < geometry.SourceHeight; y++)
        {
            for (int x = 0; x < geometry.SourceWidth; x++)
            {
                // Pixel centres map to pixel centres; sample the input map bilinearly there.
                var (u, v) = geometry.ToInput(x + 0.5, y + 0.5);
                result[x, y] = Sample(input, u - 0.5, v - 0.5);
            }
        }
        return result;
    }

    private static float Sample(Heatmap map, double x, double y)
    {
        if (x < -0.5 || y < -0.5 || x > map.Width - 0.5 || y > map.Height - 0.5) return 0f;
        x = Math.Clamp(x, 0, map.Width - 1);
        y = Math.Clamp(y, 0, map.Height - 1);
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, map.Width - 1), y1 = Math.Min(y0 + 1, map.Height - 1);
        double fx = x - x0, fy = y - y0;
        double top = map[x0, y0] * (1 - fx) + map[x1, y0] * fx;
        double bottom = map[x0, y1] * (1 - fx) + map[x1, y1] * fx;
        return (float)(top * (1 - fy) + bottom * fy);
    }
}
