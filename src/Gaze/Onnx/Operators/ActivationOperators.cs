using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>ReLU; routes through <see cref="HookedRelu"/> when the run sets a backward hook.</summary>
internal sealed class ReluOperator : OnnxOperator
{
    public override void Run(in OperatorIO io)
    {
        var x = io.Input(0);
        var hook = io.Context.ReluBackward;
        io.SetOutput(0, hook is not null && x.requires_grad ? HookedRelu.Apply(x, hook, double.PositiveInfinity) : x.relu());
    }
}

/// <summary>
/// Clip: bounds from attributes (opset &lt; 11) or optional inputs (opset 11+). With a lower bound of exactly 0
/// it is ReLU-like (ReLU6 and friends) and honours the run's ReLU backward hook.
/// </summary>
internal sealed class ClipOperator : OnnxOperator
{
    private readonly bool fromInputs;
    private readonly double? min, max;

    public ClipOperator(NodeContext node)
    {
        fromInputs = node.Opset >= 11;
        if (fromInputs)
        {
            min = node.ConstantScalar(1);
            max = node.ConstantScalar(2);
            // Bounds that are computed at run time are read then; absent bounds mean unbounded.
            if (!node.HasInput(1)) min = double.NegativeInfinity;
            if (!node.HasInput(2)) max = double.PositiveInfinity;
        }
        else
        {
            min = node.Float("min", float.NegativeInfinity);
            max = node.Float("max", float.PositiveInfinity);
        }
        IsReluLike = min == 0;
    }

    /// <summary>True when the lower bound is the constant 0.</summary>
    public bool IsReluLike { get; }

    public override void Run(in OperatorIO io)
    {
        var x = io.Input(0);
        double lower = min ?? Values.Scalar(io.Input(1));
        double upper = max ?? Values.Scalar(io.Input(2));
        var hook = io.Context.ReluBackward;
        if (IsReluLike && hook is not null && x.requires_grad)
        {
            io.SetOutput(0, HookedRelu.Apply(x, hook, upper));
            return;
        }
        Tensor y = (double.IsNegativeInfinity(lower), double.IsPositiveInfinity(upper)) switch
        {
            (true, true) => x.alias(),
            (true, false) => x.clamp_max(upper),
            (false, true) => x.clamp_min(lower),
            _ => x.clamp(lower, upper),
        };
        io.SetOutput(0, y);
    }
}

/// <summary>Factories for the activation functions.</summary>
internal static class ActivationOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("Relu", _ => new ReluOperator());
        r.Add("Clip", n => new ClipOperator(n));
        r.Add("LeakyRelu", n =>
        {
            double alpha = n.Float("alpha", 0.01f);
            return new UnaryOperator(x => F.leaky_relu(x, alpha));
        });
        r.Add("PRelu", _ => new BinaryOperator((x, slope) => x.where(x.ge(0), x.mul(slope))));
        r.Add("Elu", n =>
        {
            double alpha = n.Float("alpha", 1f);
            return new UnaryOperator(x => x.elu(alpha, 1.0, 1.0));
        });
        r.Add("Selu", n =>
        {
            double alpha = n.Float("alpha", 1.67326319217681884765625f);
            double gamma = n.Float("gamma", 1.05070102214813232421875f);
            return new UnaryOperator(x => x.elu(alpha, gamma, 1.0));
        });
        r.Add("Sigmoid", _ => new UnaryOperator(x => x.sigmoid()));
        r.Add("Tanh", _ => new UnaryOperator(x => x.tanh()));
        r.Add("HardSigmoid", n =>
        {
            double alpha = n.Float("alpha", 0.2f), beta = n.Float("beta", 0.5f);
            return new UnaryOperator(x => x.mul(alpha).add(beta).clamp(0, 1));
        });
        r.Add("HardSwish", _ => new UnaryOperator(x => F.hardswish(x)));
        r.Add("Erf", _ => new UnaryOperator(x => x.erf()));
        r.Add("Gelu", n =>
        {
            var approximate = n.String("approximate", "none") switch
            {
                "none" => TorchSharp.Modules.GELU.Approximate.none,
                "tanh" => TorchSharp.Modules.GELU.Approximate.tanh,
                var other => throw new NotSupportedException($"approximate '{other}'"),
            };
            return new UnaryOperator(x => F.gelu(x, approximate));
        });
        r.Add("Softplus", _ => new UnaryOperator(x => x.softplus()));
        r.Add("Softsign", _ => new UnaryOperator(x => x.div(x.abs().add(1))));
        r.Add("Exp", _ => new UnaryOperator(x => x.exp()));
        r.Add("Log", _ => new UnaryOperator(x => x.log()));
        r.Add("Sqrt", _ => new UnaryOperator(x => x.sqrt()));
        r.Add("Reciprocal", _ => new UnaryOperator(x => x.reciprocal()));
        r.Add("Neg", _ => new UnaryOperator(x => x.neg()));
        r.Add("Abs", _ => new UnaryOperator(x => x.abs()));
        r.Add("Floor", _ => new UnaryOperator(x => x.floor()));
        r.Add("Ceil", _ => new UnaryOperator(x => x.ceil()));
        r.Add("Sin", _ => new UnaryOperator(x => x.sin()));
        r.Add("Cos", _ => new UnaryOperator(x => x.cos()));
        r.Add("Not", _ => new UnaryOperator(x => x.logical_not()));
    }
}
