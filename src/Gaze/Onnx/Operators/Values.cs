using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>Small helpers shared by operators: reading shape-like tensors and normalising axes.</summary>
internal static class Values
{
    /// <summary>The elements of a (small) integer or float tensor as longs.</summary>
    public static long[] Longs(Tensor t)
    {
        if (t.dtype == ScalarType.Int64) return t.contiguous().data<long>().ToArray();
        using var converted = t.to(ScalarType.Int64);
        return converted.data<long>().ToArray();
    }

    /// <summary>The single element of a tensor as a double.</summary>
    public static double Scalar(Tensor t)
    {
        using var converted = t.to(ScalarType.Float64);
        return converted.data<double>()[0];
    }

    /// <summary>An axis in [0, rank) from ONNX's possibly negative form.</summary>
    public static long Axis(long axis, long rank) => axis < 0 ? axis + rank : axis;

    /// <summary>Axes in [0, rank), sorted, from ONNX's possibly negative form.</summary>
    public static long[] Axes(IEnumerable<long> axes, long rank) => axes.Select(a => Axis(a, rank)).OrderBy(a => a).ToArray();

    /// <summary>Product of dimensions.</summary>
    public static long Product(ReadOnlySpan<long> dims)
    {
        long p = 1;
        foreach (long d in dims) p *= d;
        return p;
    }

    /// <summary>The ONNX [begin..., end...] pad list as separate begin and end arrays for <paramref name="count"/> axes.</summary>
    public static (long[] Begin, long[] End) SplitPads(long[]? pads, int count)
    {
        var begin = new long[count];
        var end = new long[count];
        if (pads is null) return (begin, end);
        for (int i = 0; i < count; i++)
        {
            begin[i] = i < pads.Length ? pads[i] : 0;
            end[i] = count + i < pads.Length ? pads[count + i] : 0;
        }
        return (begin, end);
    }

    /// <summary>
    /// TorchSharp's F.pad list (last axis first, begin/end pairs) for padding the trailing <paramref name="begin"/>.Length axes.
    /// </summary>
    public static long[] TorchPadList(long[] begin, long[] end)
    {
        int n = begin.Length;
        var list = new long[2 * n];
        for (int i = 0; i < n; i++)
        {
            list[2 * i] = begin[n - 1 - i];
            list[2 * i + 1] = end[n - 1 - i];
        }
        return list;
    }
}
