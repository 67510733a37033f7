using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>
/// Pad in constant, reflect and edge modes. Pads and value are attributes before opset 11 and inputs after
/// (opset 18 adds an axes input). Reflect and edge padding of up to three trailing axes map onto libtorch.
/// </summary>
internal sealed class PadOperator : SingleOutputOperator
{
    private readonly PaddingModes mode;
    private readonly long[]? pads, axes;
    private readonly double? value;
    private readonly bool fromInputs;

    public PadOperator(NodeContext node)
    {
        string modeName = node.String("mode", "constant");
        mode = modeName switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            _ => throw new NotSupportedException($"mode '{modeName}'"),
        };
        fromInputs = node.Opset >= 11;
        if (fromInputs)
        {
            pads = node.ConstantLongs(1);
            value = node.HasInput(2) ? node.ConstantScalar(2) : 0;
            axes = node.ConstantLongs(3);
        }
        else
        {
            pads = node.Ints("pads") ?? node.Ints("paddings") ?? throw new NotSupportedException("Pad without pads");
            value = node.Float("value", 0f);
        }
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = io.Input(0);
        int rank = (int)x.dim();
        long[] p = pads ?? Values.Longs(io.Input(1));
        double fill = value ?? Values.Scalar(io.Input(2));
        long[]? a = axes ?? (fromInputs && io.OptionalInput(3) is { } ai ? Values.Longs(ai) : null);

        var begin = new long[rank];
        var end = new long[rank];
        if (a is null)
        {
            (begin, end) = Values.SplitPads(p, rank);
        }
        else
        {
            for (int i = 0; i < a.Length; i++)
            {
                long axis = Values.Axis(a[i], rank);
                begin[axis] = p[i];
                end[axis] = p[a.Length + i];
            }
        }

        // Only the axes from the first padded one onwards need to be passed to libtorch.
        int first = 0;
        while (first < rank && begin[first] == 0 && end[first] == 0) first++;
        if (first == rank) return x.alias();
        var list = Values.TorchPadList(begin[first..], end[first..]);
        if (mode == PaddingModes.Constant) return F.pad(x, list, PaddingModes.Constant, fill);

        int padded = rank - first;
        if (padded > 3) throw new NotSupportedException($"{mode} padding of {padded} axes");
        // libtorch pads the trailing 1-3 axes of a tensor with one or two leading axes: fold the rest into one.
        long[] shape = x.shape;
        var folded = x.reshape([1, Values.Product(shape.AsSpan(0, first)), .. shape[first..]]);
        var y = F.pad(folded, list, mode);
        return y.reshape([.. shape[..first], .. y.shape[2..]]);
    }

    /// <summary>Registers Pad.</summary>
    public static void Register(OperatorRegistry r) => r.Add("Pad", n => new PadOperator(n));
}
