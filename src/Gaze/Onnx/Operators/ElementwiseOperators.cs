using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>A variadic element-wise operator (Sum, Max, Min, Mean) with numpy broadcasting.</summary>
internal sealed class VariadicOperator(Func<Tensor, Tensor, Tensor> combine, bool mean = false) : OnnxOperator
{
    public override void Run(in OperatorIO io)
    {
        Tensor result = io.Input(0);
        for (int i = 1; i < io.InputCount; i++) result = combine(result, io.Input(i));
        if (mean) result = result.div(io.InputCount);
        else if (io.InputCount == 1) result = result.alias();
        io.SetOutput(0, result);
    }
}

/// <summary>Factories for broadcasting arithmetic, comparisons and selection.</summary>
internal static class ElementwiseOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("Add", _ => new BinaryOperator((a, b) => a.add(b)));
        r.Add("Sub", _ => new BinaryOperator((a, b) => a.sub(b)));
        r.Add("Mul", _ => new BinaryOperator((a, b) => a.mul(b)));
        // ONNX integer division truncates toward zero (as C does); float division is ordinary.
        r.Add("Div", _ => new BinaryOperator((a, b) =>
            a.is_floating_point() || b.is_floating_point() ? a.div(b) : a.div(b, RoundingMode.trunc)));
        // The exponent may have another type; the result has the base's type.
        r.Add("Pow", _ => new BinaryOperator((a, b) =>
            a.is_floating_point() && b.dtype != a.dtype ? a.pow(b.to(a.dtype)) : a.pow(b).to(a.dtype)));
        r.Add("Sum", _ => new VariadicOperator((a, b) => a.add(b)));
        r.Add("Mean", _ => new VariadicOperator((a, b) => a.add(b), mean: true));
        r.Add("Max", _ => new VariadicOperator((a, b) => a.maximum(b)));
        r.Add("Min", _ => new VariadicOperator((a, b) => a.minimum(b)));
        r.Add("Equal", _ => new BinaryOperator((a, b) => a.eq(b)));
        r.Add("Greater", _ => new BinaryOperator((a, b) => a.gt(b)));
        r.Add("GreaterOrEqual", _ => new BinaryOperator((a, b) => a.ge(b)));
        r.Add("Less", _ => new BinaryOperator((a, b) => a.lt(b)));
        r.Add("LessOrEqual", _ => new BinaryOperator((a, b) => a.le(b)));
        r.Add("And", _ => new BinaryOperator((a, b) => a.logical_and(b)));
        r.Add("Or", _ => new BinaryOperator((a, b) => a.logical_or(b)));
        r.Add("Where", _ => new WhereOperator());
    }

    /// <summary>Where(condition, x, y): x where condition holds, else y, broadcasting all three.</summary>
    private sealed class WhereOperator : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var condition = io.Input(0);
            if (condition.dtype != ScalarType.Bool) condition = condition.ne(0);
            return torch.where(condition, io.Input(1), io.Input(2));
        }
    }
}
