using Gaze.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>Factories for operators that move, reshape, combine or create tensors without arithmetic.</summary>
internal static class ShapeOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("Identity", _ => new UnaryOperator(x => x.alias()));
        r.Add("Dropout", _ => new Dropout());
        r.Add("Reshape", n => new Reshape(n));
        r.Add("Flatten", n =>
        {
            long axis = n.Int("axis", 1);
            return new UnaryOperator(x =>
            {
                long a = Values.Axis(axis, x.dim());
                return x.reshape(Values.Product(x.shape.AsSpan(0, (int)a)), -1);
            });
        });
        r.Add("Transpose", n =>
        {
            long[]? perm = n.Ints("perm");
            return new UnaryOperator(x => x.permute(perm ?? Enumerable.Range(0, (int)x.dim()).Reverse().Select(i => (long)i).ToArray()));
        });
        r.Add("Squeeze", n => new AxesOperator(n, attributeBefore: 13, (x, axes) =>
        {
            if (axes is null) return x.squeeze();
            foreach (long axis in Values.Axes(axes, x.dim()).Reverse()) x = x.squeeze(axis);
            return x;
        }));
        r.Add("Unsqueeze", n => new AxesOperator(n, attributeBefore: 13, (x, axes) =>
        {
            if (axes is null) throw new InvalidOperationException("Unsqueeze without axes");
            foreach (long axis in Values.Axes(axes, x.dim() + axes.Length)) x = x.unsqueeze(axis);
            return x;
        }));
        r.Add("Expand", _ => new WithLongs(1, (x, shape) => x.expand(BroadcastShape(x.shape, shape))));
        r.Add("Tile", _ => new WithLongs(1, (x, repeats) => x.repeat(repeats)));
        r.Add("Concat", n => new Concat(n.Int("axis", 0)));
        r.Add("Split", n => new Split(n));
        r.Add("Gather", n => new Gather(n.Int("axis", 0)));
        r.Add("Shape", n => new ShapeOf(n.Int("start", 0), n.Has("end") ? n.Int("end", 0) : null));
        r.Add("Size", _ => new UnaryOperator(x => torch.tensor(x.numel(), ScalarType.Int64)));
        r.Add("ConstantOfShape", n => new ConstantOfShape(n.TensorAttribute("value")));
        r.Add("Constant", n => new ConstantValue(ConstantValue.Read(n)));
        r.Add("Cast", n =>
        {
            int to = (int)n.Int("to", OnnxDataType.Float);
            var type = OnnxDataType.ComputeType(to) ?? throw new NotSupportedException($"Cast to {OnnxDataType.Name(to)}");
            return new UnaryOperator(x => x.to(type, copy: true));
        });
        r.Add("Range", _ => new Range());
    }

    /// <summary>The numpy broadcast of a tensor's shape with a requested shape (Expand is bidirectional).</summary>
    public static long[] BroadcastShape(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            long db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            result[i] = da == 1 ? db : db == 1 ? da : da == db ? da : throw new InvalidOperationException(
                $"cannot broadcast [{string.Join(",", a)}] to [{string.Join(",", b)}]");
        }
        return result;
    }

    /// <summary>Dropout at inference: the identity, with an all-true mask if one is requested.</summary>
    private sealed class Dropout : OnnxOperator
    {
        public override void Run(in OperatorIO io)
        {
            var x = io.Input(0);
            io.SetOutput(0, x.alias());
            if (io.WantsOutput(1)) io.SetOutput(1, torch.ones_like(x, ScalarType.Bool));
        }
    }

    /// <summary>An operator of x and an integer list that is an input (read once at load when constant).</summary>
    private sealed class WithLongs(int index, Func<Tensor, long[], Tensor> f) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io) => f(io.Input(0), Values.Longs(io.Input(index)));
    }

    /// <summary>Squeeze/Unsqueeze: axes from an attribute before <c>attributeBefore</c>, from input 1 after.</summary>
    private sealed class AxesOperator : SingleOutputOperator
    {
        private readonly long[]? axes;
        private readonly bool axesFromInput;
        private readonly Func<Tensor, long[]?, Tensor> f;

        public AxesOperator(NodeContext node, int attributeBefore, Func<Tensor, long[]?, Tensor> f)
        {
            this.f = f;
            if (node.Opset < attributeBefore) axes = node.Ints("axes");
            else
            {
                axes = node.ConstantLongs(1);
                axesFromInput = axes is null && node.HasInput(1);
            }
        }

        protected override Tensor Compute(in OperatorIO io) =>
            f(io.Input(0), axesFromInput ? Values.Longs(io.Input(1)) : axes);
    }

    /// <summary>
    /// Reshape with ONNX's 0 (copy the input's dimension unless allowzero) and -1 (infer). When the model declares a
    /// fixed batch of 1, a leading 1 follows the actual batch where the shape would otherwise not fit, so old exports
    /// with a hard-coded batch still run on batches.
    /// </summary>
    private sealed class Reshape : SingleOutputOperator
    {
        private readonly long[]? shape;
        private readonly bool allowZero, relaxBatch;

        public Reshape(NodeContext node)
        {
            shape = node.Opset < 5 ? node.Ints("shape") : node.ConstantLongs(1);
            allowZero = node.Int("allowzero", 0) != 0;
            relaxBatch = node.FixedBatchOfOne;
        }

        protected override Tensor Compute(in OperatorIO io)
        {
            var x = io.Input(0);
            long[] target = (long[])(shape ?? Values.Longs(io.Input(1))).Clone();
            for (int i = 0; i < target.Length; i++)
                if (target[i] == 0 && !allowZero) target[i] = x.shape[i];
            if (relaxBatch && target.Length > 0 && target[0] == 1 && x.dim() > 0 && x.shape[0] > 1 && !target.Contains(-1))
            {
                long count = Values.Product(target);
                if (count != x.numel() && count * x.shape[0] == x.numel()) target[0] = x.shape[0];
            }
            return x.reshape(target);
        }
    }

    private sealed class Concat(long axis) : OnnxOperator
    {
        public override void Run(in OperatorIO io)
        {
            var parts = new Tensor[io.InputCount];
            for (int i = 0; i < parts.Length; i++) parts[i] = io.Input(i);
            io.SetOutput(0, torch.cat(parts, Values.Axis(axis, parts[0].dim())));
        }
    }

    /// <summary>Split by sizes (attribute before opset 13, input after) or into equal parts.</summary>
    private sealed class Split : OnnxOperator
    {
        private readonly long axis;
        private readonly long[]? sizes;
        private readonly bool sizesFromInput;

        public Split(NodeContext node)
        {
            axis = node.Int("axis", 0);
            if (node.Opset < 13) sizes = node.Ints("split");
            else
            {
                sizes = node.ConstantLongs(1);
                sizesFromInput = sizes is null && node.HasInput(1);
            }
        }

        public override void Run(in OperatorIO io)
        {
            var x = io.Input(0);
            long a = Values.Axis(axis, x.dim());
            long[]? s = sizesFromInput ? Values.Longs(io.Input(1)) : sizes;
            if (s is null || s.Length == 0)
            {
                // Equal parts; with opset 18's num_outputs the last part may be smaller.
                long parts = io.OutputCount, length = x.shape[a];
                long chunk = (length + parts - 1) / parts;
                s = Enumerable.Range(0, (int)parts).Select(i => Math.Max(0, Math.Min(chunk, length - i * chunk))).ToArray();
            }
            var pieces = x.split(s, a);
            for (int i = 0; i < pieces.Length; i++) io.SetOutput(i, pieces[i]);
        }
    }

    /// <summary>Gather along one axis; negative indices count from the end.</summary>
    private sealed class Gather(long axis) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var data = io.Input(0);
            var indices = io.Input(1).to(ScalarType.Int64);
            long a = Values.Axis(axis, data.dim());
            long length = data.shape[a];
            indices = indices.where(indices.ge(0), indices.add(length));
            long[] shape = [.. data.shape[..(int)a], .. indices.shape, .. data.shape[(int)(a + 1)..]];
            return data.index_select(a, indices.flatten()).reshape(shape);
        }
    }

    /// <summary>The input's shape (opset 15: a slice of it) as an int64 vector.</summary>
    private sealed class ShapeOf(long start, long? end) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            long[] shape = io.Input(0).shape;
            long rank = shape.Length;
            long from = Math.Clamp(Values.Axis(start, rank), 0, rank);
            long to = end is { } e ? Math.Clamp(Values.Axis(e, rank), 0, rank) : rank;
            return torch.tensor(shape[(int)from..(int)Math.Max(from, to)], ScalarType.Int64);
        }
    }

    private sealed class ConstantOfShape(Tensor? value) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            long[] shape = Values.Longs(io.Input(0));
            return value is null ? torch.zeros(shape, ScalarType.Float32) : value.reshape(1).expand(shape).contiguous();
        }
    }

    /// <summary>Constant: its value, in any of the attribute forms.</summary>
    private sealed class ConstantValue(Tensor value) : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io) => value.alias();

        public static Tensor Read(NodeContext n)
        {
            if (n.TensorAttribute("value") is { } t) return t;
            if (n.Attribute("value_float") is { } f) return n.Keep(torch.tensor(f.F, ScalarType.Float32));
            if (n.Attribute("value_floats") is { } fs) return n.Keep(torch.tensor(fs.Floats.ToArray(), ScalarType.Float32));
            if (n.Attribute("value_int") is { } i) return n.Keep(torch.tensor(i.I, ScalarType.Int64));
            if (n.Attribute("value_ints") is { } ints) return n.Keep(torch.tensor(ints.Ints.ToArray(), ScalarType.Int64));
            throw new NotSupportedException("a Constant without a tensor, float or int value");
        }
    }

    private sealed class Range : SingleOutputOperator
    {
        protected override Tensor Compute(in OperatorIO io)
        {
            var start = io.Input(0);
            if (start.is_floating_point())
                return torch.arange(Values.Scalar(start), Values.Scalar(io.Input(1)), Values.Scalar(io.Input(2)), start.dtype);
            return torch.arange(Values.Longs(start)[0], Values.Longs(io.Input(1))[0], Values.Longs(io.Input(2))[0], start.dtype);
        }
    }
}
