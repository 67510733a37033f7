namespace Gaze.IO;

/// <summary>An n-dimensional float array as a NumPy <c>.npy</c> file holds it: a shape and the values in C (row-major) order.</summary>
public sealed class NpyArray
{
    /// <summary>Creates the array; the product of <paramref name="shape"/> must equal the number of values.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the sizes disagree.</exception>
    public NpyArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape);
        if (count != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values, got {data.Length}", nameof(data));
        Data = data;
        Shape = (int[])shape.Clone();
    }

    /// <summary>The values, last dimension fastest.</summary>
    public float[] Data { get; }

    /// <summary>The size of each dimension, outermost first; empty for a single scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The product of <paramref name="shape"/> (1 for no dimensions).</summary>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    internal static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0) throw new ArgumentException($"dimensions must not be negative, got ({string.Join(", ", shape)})", nameof(shape));
            count = checked(count * dimension);
        }
        return count;
    }
}
