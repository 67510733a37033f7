using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>Factories for BatchNormalization (inference), InstanceNormalization, LayerNormalization and LRN.</summary>
internal static class NormalizationOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("BatchNormalization", n =>
        {
            if (n.Int("training_mode", 0) != 0) throw new NotSupportedException("training_mode=1");
            if (n.Opset < 9 && n.Int("spatial", 1) != 1) throw new NotSupportedException("spatial=0");
            double epsilon = n.Float("epsilon", 1e-5f);
            return new BatchNormalization(epsilon);
        });
        r.Add("InstanceNormalization", n =>
        {
            double epsilon = n.Float("epsilon", 1e-5f);
            return new UnaryWithParameters((x, scale, bias) => F.instance_norm(x, null, null, scale, bias, true, 0.1, epsilon));
        });
        r.Add("LayerNormalization", n => new LayerNormalization(n.Int("axis", -1), n.Float("epsilon", 1e-5f)));
        r.Add("LRN", n => new LocalResponseNormalization(
            n.Int("size", 0) is > 0 and var size ? size : throw new NotSupportedException("LRN without size"),
            n.Float("alpha", 1e-4f), n.Float("beta", 0.75f), n.Float("bias", 1f)));
    }

    /// <summary>Batch normalization with the stored running statistics (inference semantics).</summary>
    private sealed class BatchNormalization(double epsilon) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io) =>
            F.batch_norm(io.Input(0), io.Input(3), io.Input(4), io.Input(1), io.Input(2), false, 0.1, epsilon);
    }

    /// <summary>An operator of x and two optional per-channel parameter inputs.</summary>
    private sealed class UnaryWithParameters(Func<Tensor, Tensor?, Tensor?, Tensor> f) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io) => f(io.Input(0), io.OptionalInput(1), io.OptionalInput(2));
    }

    /// <summary>Normalises over the axes from <c>axis</c> to the last, then scales and shifts.</summary>
    private sealed class LayerNormalization(long axis, double epsilon) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var x = io.Input(0);
            long first = Values.Axis(axis, x.dim());
            long[] normalized = x.shape[(int)first..];
            var scale = io.Input(1);
            var bias = io.OptionalInput(2);
            if (!scale.shape.SequenceEqual(normalized)) scale = scale.expand(normalized);
            if (bias is not null && !bias.shape.SequenceEqual(normalized)) bias = bias.expand(normalized);
            return F.layer_norm(x, normalized, scale, bias, epsilon);
        }
    }

    /// <summary>
    /// LRN across channels: x / (bias + alpha/size * sum of squares over the window)^beta, with the window
    /// [c - floor((size-1)/2), c + ceil((size-1)/2)] as ONNX defines it (libtorch centres even windows differently).
    /// </summary>
    private sealed class LocalResponseNormalization(long size, double alpha, double beta, double bias) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var x = io.Input(0);
            long[] shape = x.shape;
            // [N, C, rest] -> [N, 1, C, rest, 1] so a 3-D average pool slides along the channels.
            var squares = x.reshape(shape[0], shape[1], -1).pow(2).unsqueeze(1).unsqueeze(-1);
            long front = (size - 1) / 2, back = size - 1 - front;
            squares = F.pad(squares, [0, 0, 0, 0, front, back]);
            var mean = F.avg_pool3d(squares, [size, 1, 1], [1, 1, 1]).squeeze(-1).squeeze(1).reshape(shape);
            return x.div(mean.mul(alpha).add(bias).pow(beta));
        }
    }
}
