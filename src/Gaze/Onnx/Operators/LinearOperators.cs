using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>Factories for MatMul and Gemm.</summary>
internal static class LinearOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("MatMul", _ => new BinaryOperator((a, b) => a.matmul(b)));
        r.Add("Gemm", n => new Gemm(n.Float("alpha", 1f), n.Float("beta", 1f), n.Int("transA", 0) != 0, n.Int("transB", 0) != 0));
    }

    /// <summary>Y = alpha * A' B' + beta * C, where ' is an optional transpose and C broadcasts.</summary>
    private sealed class Gemm(double alpha, double beta, bool transA, bool transB) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var a = io.Input(0);
            var b = io.Input(1);
            var c = io.OptionalInput(2);
            if (transA) a = a.t();
            if (alpha == 1 && beta == 1 && transB)
            {
                // The classifier-head form: one fused libtorch call.
                return F.linear(a, b, c);
            }
            var y = a.matmul(transB ? b.t() : b);
            if (alpha != 1) y = y.mul(alpha);
            if (c is not null) y = y.add(beta == 1 ? c : c.mul(beta));
            return y;
        }
    }
}
