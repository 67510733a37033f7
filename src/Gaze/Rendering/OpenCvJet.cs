namespace Gaze.Rendering;

/// <summary>
/// Builds the lookup table of OpenCV's <c>COLORMAP_JET</c>, byte for byte, so that Gaze's jet overlays match
/// those of tools built on <c>cv2.applyColorMap</c> (pytorch-grad-cam among them).
/// </summary>
/// <remarks>
/// OpenCV defines jet by 256 float control values per channel at x = i/255, which are samples of the classic
/// piecewise-linear jet: red = clamp(1.5 - |4x - 3|), green = clamp(1.5 - |4x - 2|), blue = clamp(1.5 - |4x - 1|).
/// It then linearly interpolates those controls at 256 points in single precision and converts to bytes with
/// round-half-to-even. Many entries land exactly on a half (for example 1.5/255), so the float arithmetic decides
/// them; this class repeats it step by step instead of evaluating the formula directly.
/// </remarks>
internal static class OpenCvJet
{
    /// <summary>The 256-entry table, R, G, B per entry.</summary>
    internal static byte[] BuildTable()
    {
        const int n = Colormap.Size;
        float[] x = Linspace(n);
        float[][] controls =
        [
            Controls(n, centre: 3), // red peaks at x = 3/4
            Controls(n, centre: 2), // green at 1/2
            Controls(n, centre: 1), // blue at 1/4
        ];

        var table = new byte[n * 3];
        for (int channel = 0; channel < 3; channel++)
        {
            for (int i = 0; i < n; i++)
            {
                float value = Interpolate(x, controls[channel], x[i]);
                table[3 * i + channel] = ToByte(value);
            }
        }
        return table;
    }

    /// <summary>n points from 0 to 1 the way OpenCV's colormap code spaces them: start + i * step, in floats.</summary>
    private static float[] Linspace(int n)
    {
        float step = 1f / (n - 1);
        var points = new float[n];
        for (int i = 0; i < n; i++) points[i] = 0f + i * step;
        return points;
    }

    /// <summary>clamp(1.5 - |4x - centre|, 0, 1) at x = i/(n-1), computed exactly enough in double, stored as float.</summary>
    private static float[] Controls(int n, int centre)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            double x = (double)i / (n - 1);
            values[i] = (float)Math.Clamp(1.5 - Math.Abs(4 * x - centre), 0.0, 1.0);
        }
        return values;
    }

    /// <summary>
    /// Linear interpolation of (xs, ys) at <paramref name="at"/>, in floats, with OpenCV's bracket search: the
    /// upper end is the first control point not below <paramref name="at"/>, so a query equal to a control point
    /// is interpolated from the interval to its left (which is where float rounding enters).
    /// </summary>
    private static float Interpolate(float[] xs, float[] ys, float at)
    {
        int low = 0, high = xs.Length - 1;
        if (at < xs[low]) high = 1;
        if (at > xs[high]) low = high - 1;
        while (high - low > 1)
        {
            int middle = low + ((high - low) >> 1);
            if (at > xs[middle]) low = middle;
            else high = middle;
        }
        float offset = at - xs[low];
        float rise = ys[high] - ys[low];
        float run = xs[high] - xs[low];
        return ys[low] + offset * rise / run;
    }

    /// <summary>OpenCV's float-to-byte conversion with scale 255: multiply in float, round half to even, saturate.</summary>
    private static byte ToByte(float value)
    {
        float scaled = value * 255f;
        return (byte)Math.Clamp(MathF.Round(scaled, MidpointRounding.ToEven), 0f, 255f);
    }
}
