using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// Softmax and LogSoftmax. Before opset 13 the input is treated as a 2-D matrix [prod(dims before axis),
/// prod(dims from axis)] and normalised over the whole second part (axis defaults to 1); from opset 13 along one
/// axis (default -1).
/// </summary>
internal sealed class SoftmaxOperator(long axis, bool coerceTo2D, bool logarithm) : SingleOutputOperator
{
    protected override Tensor Compute(in OperatorIO io)
    {
        var x = io.Input(0);
        long a = Values.Axis(axis, x.dim());
        if (!coerceTo2D || a == x.dim() - 1) return Apply(x, a);
        long rows = Values.Product(x.shape.AsSpan(0, (int)a));
        return Apply(x.reshape(rows, -1), 1).reshape(x.shape);
    }

    private Tensor Apply(Tensor x, long dim) => logarithm ? x.log_softmax(dim) : x.softmax(dim);

    /// <summary>Registers Softmax and LogSoftmax.</summary>
    public static void Register(OperatorRegistry r)
    {
        r.Add("Softmax", n => Create(n, logarithm: false));
        r.Add("LogSoftmax", n => Create(n, logarithm: true));
    }

    private static SoftmaxOperator Create(NodeContext n, bool logarithm)
    {
        bool legacy = n.Opset < 13;
        return new SoftmaxOperator(n.Int("axis", legacy ? 1 : -1), legacy, logarithm);
    }
}
