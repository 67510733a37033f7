using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// ReduceMean/Sum/Max/Min/Prod/L2/SumSquare. Axes come from an attribute until the opset where they became an input
/// (13 for ReduceSum, 18 for the others); no axes means all axes, unless noop_with_empty_axes.
/// </summary>
internal sealed class ReduceOperator : SingleOutputOperator
{
    private readonly Func<Tensor, long[], bool, Tensor> reduce;
    private readonly long[]? axes;
    private readonly bool axesFromInput, keepDims, noopWithEmptyAxes;

    public ReduceOperator(NodeContext node, int axesInputSince, Func<Tensor, long[], bool, Tensor> reduce)
    {
        this.reduce = reduce;
        keepDims = node.Int("keepdims", 1) != 0;
        noopWithEmptyAxes = node.Int("noop_with_empty_axes", 0) != 0;
        if (node.Opset < axesInputSince) axes = node.Ints("axes");
        else
        {
            axes = node.ConstantLongs(1);
            axesFromInput = axes is null && node.HasInput(1);
        }
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = io.Input(0);
        long[]? a = axesFromInput ? Values.Longs(io.Input(1)) : axes;
        if (a is null || a.Length == 0)
        {
            if (noopWithEmptyAxes) return x.alias();
            a = Enumerable.Range(0, (int)x.dim()).Select(i => (long)i).ToArray();
        }
        return reduce(x, Values.Axes(a, x.dim()), keepDims);
    }

    /// <summary>Registers the reductions and ArgMax/ArgMin.</summary>
    public static void Register(OperatorRegistry r)
    {
        r.Add("ReduceMean", n => new ReduceOperator(n, 18, (x, a, k) => x.mean(a, k)));
        r.Add("ReduceSum", n => new ReduceOperator(n, 13, (x, a, k) => x.sum(a, k)));
        r.Add("ReduceMax", n => new ReduceOperator(n, 18, (x, a, k) => x.amax(a, k)));
        r.Add("ReduceMin", n => new ReduceOperator(n, 18, (x, a, k) => x.amin(a, k)));
        r.Add("ReduceProd", n => new ReduceOperator(n, 18, (x, a, k) =>
        {
            foreach (long axis in a.Reverse()) x = x.prod(axis, k);
            return x;
        }));
        r.Add("ReduceSumSquare", n => new ReduceOperator(n, 18, (x, a, k) => x.square().sum(a, k)));
        r.Add("ReduceL2", n => new ReduceOperator(n, 18, (x, a, k) => x.square().sum(a, k).sqrt()));
        r.Add("ArgMax", n => ArgReduce(n, max: true));
        r.Add("ArgMin", n => ArgReduce(n, max: false));
    }

    private static OnnxOperator ArgReduce(NodeContext n, bool max)
    {
        long axis = n.Int("axis", 0);
        bool keep = n.Int("keepdims", 1) != 0;
        if (n.Int("select_last_index", 0) != 0) throw new NotSupportedException("select_last_index=1");
        return new UnaryOperator(x =>
        {
            long a = Values.Axis(axis, x.dim());
            return max ? x.argmax(a, keep) : x.argmin(a, keep);
        });
    }
}

/// <summary>Factories for reductions.</summary>
internal static class ReduceOperators
{
    public static void Register(OperatorRegistry r) => ReduceOperator.Register(r);
}
