using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>Factories for MatMul and Gemm.</summary>
internal static class LinearOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("MatMul", n =>
        {
            var precision = n.Precision;
            return new BinaryOperator((a, b) =>
            {
                RequireMultipliable(a, b);
                return MatrixPrecision.Out(MatrixPrecision.In(a, precision).matmul(MatrixPrecision.In(b, precision)));
            });
        });
        r.Add("Gemm", n => new Gemm(n.Float("alpha", 1f), n.Float("beta", 1f), n.Int("transA", 0) != 0, n.Int("transB", 0) != 0, n.Precision));
    }

    /// <summary>
    /// Refuses operands whose inner dimensions differ before libtorch sees them: its matmul aborts the process on
    /// that error instead of raising it (a dense layer after Flatten fed another input size does this).
    /// </summary>
    private static void RequireMultipliable(Tensor a, Tensor b)
    {
        if (a.dim() == 0 || b.dim() == 0) return;
        long inner = a.shape[^1], other = b.dim() >= 2 ? b.shape[^2] : b.shape[0];
        if (inner != other)
            throw new ArgumentException($"MatMul operands [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}] cannot be multiplied ({inner} vs {other})");
    }

    /// <summary>Y = alpha * A' B' + beta * C, where ' is an optional transpose and C broadcasts.</summary>
    private sealed class Gemm(double alpha, double beta, bool transA, bool transB, Engine.Precision precision) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var a = MatrixPrecision.In(io.Input(0), precision);
            var b = MatrixPrecision.In(io.Input(1), precision);
            var c = io.OptionalInput(2);
            if (transA) a = a.t();
            if (alpha == 1 && beta == 1 && transB)
            {
                // The classifier-head form: one fused libtorch call.
                return MatrixPrecision.Out(F.linear(a, b, MatrixPrecision.OptionalIn(c, precision)));
            }
            var y = MatrixPrecision.Out(a.matmul(transB ? b.t() : b));
            if (alpha != 1) y = y.mul(alpha);
            if (c is not null) y = y.add(beta == 1 ? c : c.mul(beta));
            return y;
        }
    }
}
