namespace Gaze.Imaging;

/// <summary>
/// A 2-D map of float values, one per position, row by row from the top left: the output of an attribution
/// method before it is coloured. Values are typically min-max normalised to [0, 1] for display.
/// </summary>
public sealed class Heatmap
{
    /// <summary>Creates a heatmap; without <paramref name="values"/> it is all zeros.</summary>
    /// <exception cref="ArgumentException">A size is not positive or <paramref name="values"/> has the wrong length.</exception>
    public Heatmap(int width, int height, float[]? values = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"heatmap size must be positive, got {width}x{height}");
        values ??= new float[checked(width * height)];
        if (values.Length != width * height)
            throw new ArgumentException($"a {width}x{height} heatmap needs {width * height} values, got {values.Length}", nameof(values));
        Width = width;
        Height = height;
        Values = values;
    }

    /// <summary>A heatmap holding the values of <paramref name="map"/>, a [H,W] tensor (copied, as float32).</summary>
    public static Heatmap FromTensor(TorchSharp.torch.Tensor map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new((int)map.shape[1], (int)map.shape[0], map.to(TorchSharp.torch.ScalarType.Float32).contiguous().data<float>().ToArray());
    }

    /// <summary>Width (number of columns).</summary>
    public int Width { get; }

    /// <summary>Height (number of rows).</summary>
    public int Height { get; }

    /// <summary>The values, row-major: <c>Values[y * Width + x]</c> is position (x, y).</summary>
    public float[] Values { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float this[int x, int y]
    {
        get => Values[Index(x, y)];
        set => Values[Index(x, y)] = value;
    }

    /// <summary>
    /// Rescales the values in place to [0, 1]: (v - min) / (max - min) over the finite values. A constant map
    /// becomes all zeros (nothing stands out); NaN stays NaN.
    /// </summary>
    public void Normalize()
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in Values)
        {
            if (!float.IsFinite(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        double range = (double)max - min;
        bool flat = !(range > 0) || double.IsInfinity(range);
        for (int i = 0; i < Values.Length; i++)
        {
            float v = Values[i];
            if (float.IsNaN(v)) continue;
            if (flat) Values[i] = 0f;
            else if (float.IsPositiveInfinity(v)) Values[i] = 1f;
            else if (float.IsNegativeInfinity(v)) Values[i] = 0f;
            else Values[i] = (float)((v - (double)min) / range);
        }
    }

    /// <summary>A bilinearly resized copy (see <see cref="HeatmapResizer.Resize"/>).</summary>
    public Heatmap Resize(int width, int height) => HeatmapResizer.Resize(this, width, height);

    private int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"position ({x},{y}) is outside the {Width}x{Height} heatmap");
        return y * Width + x;
    }
}
