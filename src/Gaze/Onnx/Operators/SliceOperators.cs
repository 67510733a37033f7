using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>Slice: starts/ends/axes as attributes before opset 10, as inputs (with steps) from opset 10.</summary>
internal sealed class SliceOperator : SingleOutputOperator
{
    private readonly bool fromInputs;
    private readonly long[]? starts, ends, axes, steps;

    public SliceOperator(NodeContext node)
    {
        fromInputs = node.Opset >= 10;
        if (fromInputs)
        {
            // Constant inputs (the usual case) are read once here; others at run time.
            starts = node.ConstantLongs(1);
            ends = node.ConstantLongs(2);
            axes = node.ConstantLongs(3);
            steps = node.ConstantLongs(4);
        }
        else
        {
            starts = node.Ints("starts") ?? throw new NotSupportedException("Slice without starts");
            ends = node.Ints("ends") ?? throw new NotSupportedException("Slice without ends");
            axes = node.Ints("axes");
        }
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = io.Input(0);
        long[] s = starts ?? Values.Longs(io.Input(1));
        long[] e = ends ?? Values.Longs(io.Input(2));
        long[]? a = axes ?? (fromInputs && io.OptionalInput(3) is { } ai ? Values.Longs(ai) : null);
        long[]? st = steps ?? (fromInputs && io.OptionalInput(4) is { } si ? Values.Longs(si) : null);
        for (int i = 0; i < s.Length; i++)
        {
            long axis = Values.Axis(a is null ? i : a[i], x.dim());
            long step = st is null ? 1 : st[i];
            x = SliceAxis(x, axis, s[i], e[i], step);
        }
        return x.alias();
    }

    /// <summary>One axis of a slice with ONNX's clamping of out-of-range and negative bounds.</summary>
    private static Tensor SliceAxis(Tensor x, long axis, long start, long end, long step)
    {
        if (step == 0) throw new InvalidOperationException("Slice step 0");
        long length = x.shape[axis];
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, length);
            end = Math.Clamp(end, 0, length);
            if (start == 0 && end == length && step == 1) return x;
            return x.slice(axis, start, Math.Max(start, end), step);
        }
        start = Math.Clamp(start, 0, length - 1);
        end = Math.Clamp(end, -1, length - 1);
        // libtorch slices only forwards; a backward slice is an index list.
        long count = Math.Max(0, (start - end + (-step) - 1) / (-step));
        var indices = torch.arange(start, start + step * count, step, ScalarType.Int64);
        return x.index_select(axis, indices);
    }
}

/// <summary>Factory for Slice.</summary>
internal static class SliceOperators
{
    public static void Register(OperatorRegistry r) => r.Add("Slice", n => new SliceOperator(n));
}
