using Gaze.Imaging;

namespace Gaze.Datasets;

/// <summary>
/// An axis-aligned box in pixel coordinates, half-open like a slice: it covers the pixel columns
/// <see cref="X0"/> .. <see cref="X1"/> - 1 and rows <see cref="Y0"/> .. <see cref="Y1"/> - 1. So
/// <c>X0</c>, <c>Y0</c> are inclusive, <c>X1</c>, <c>Y1</c> exclusive, and the width is <c>X1 - X0</c>.
/// This is also the meaning of <c>"box": [x0, y0, x1, y1]</c> in <c>annotations.json</c>.
/// </summary>
public readonly record struct BoundingBox
{
    /// <summary>Creates the box.</summary>
    /// <exception cref="ArgumentException">A coordinate is negative or the box is empty (<c>x1 &lt;= x0</c> or <c>y1 &lt;= y0</c>).</exception>
    public BoundingBox(int x0, int y0, int x1, int y1)
    {
        if (x0 < 0 || y0 < 0 || x1 <= x0 || y1 <= y0)
            throw new ArgumentException($"a box needs 0 <= x0 < x1 and 0 <= y0 < y1, got [{x0}, {y0}, {x1}, {y1}]");
        (X0, Y0, X1, Y1) = (x0, y0, x1, y1);
    }

    /// <summary>First column inside the box.</summary>
    public int X0 { get; }

    /// <summary>First row inside the box.</summary>
    public int Y0 { get; }

    /// <summary>First column past the box (exclusive).</summary>
    public int X1 { get; }

    /// <summary>First row past the box (exclusive).</summary>
    public int Y1 { get; }

    /// <summary>Width in pixels.</summary>
    public int Width => X1 - X0;

    /// <summary>Height in pixels.</summary>
    public int Height => Y1 - Y0;

    /// <summary>True when pixel (<paramref name="x"/>, <paramref name="y"/>) lies in the box.</summary>
    public bool Contains(int x, int y) => x >= X0 && x < X1 && y >= Y0 && y < Y1;

    /// <summary>The tightest box around the non-zero pixels of <paramref name="mask"/>; null when there are none.</summary>
    public static BoundingBox? Around(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = 0; y < mask.Height; y++)
        {
            int row = y * mask.Width;
            for (int x = 0; x < mask.Width; x++)
            {
                if (mask.Pixels[row + x] == 0) continue;
                x0 = Math.Min(x0, x);
                x1 = Math.Max(x1, x);
                y0 = Math.Min(y0, y);
                y1 = Math.Max(y1, y);
            }
        }
        return x1 < 0 ? null : new BoundingBox(x0, y0, x1 + 1, y1 + 1);
    }

    /// <inheritdoc />
    public override string ToString() => $"[{X0}, {Y0}, {X1}, {Y1}]";
}
