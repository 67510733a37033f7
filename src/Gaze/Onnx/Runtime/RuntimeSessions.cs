using Gaze.Errors;
using Gaze.Onnx.Operators;
using Gaze.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// What every ONNX Runtime session of Gaze shares: the session options, the model copy with symbolic sizes that
/// lets ONNX Runtime take other input sizes, and reading its output tensors as float32.
/// </summary>
internal static class RuntimeSessions
{
    /// <summary>
    /// Full graph optimisation, the thread count of <see cref="Engine.EngineSettings.Threads"/> (default one per
    /// core, like libtorch), and worker threads that sleep as soon as a run ends. libtorch works right after (or
    /// between) ONNX Runtime runs in the same process; spinning ONNX Runtime threads would take the cores from it
    /// (measured: libtorch's forward then became several times slower and erratic). <paramref name="spinning"/>
    /// keeps ONNX Runtime's default instead, for timing it as its users run it.
    /// </summary>
    public static SessionOptions Options(bool spinning = false)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (Engine.EngineSettings.Threads is int threads) options.IntraOpNumThreads = threads;
        if (!spinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>
    /// Makes every non-batch input and output dimension symbolic and replaces output_shape of ConvTranspose nodes
    /// by the equivalent pads and output_padding, so ONNX Runtime accepts other input sizes.
    /// </summary>
    public static void RelaxSizes(ModelProto model, OnnxGraph graph)
    {
        var channelAxes = graph.Inputs.ToDictionary(i => i.Name, i => i.ChannelAxis, StringComparer.Ordinal);
        foreach (var value in model.Graph.Input.Where(v => channelAxes.ContainsKey(v.Name)).Concat(model.Graph.Output))
        {
            var dims = value.Type?.TensorType?.Shape?.Dim;
            if (dims is null) continue;
            bool isInput = channelAxes.TryGetValue(value.Name, out int channelAxis);
            for (int d = 1; d < dims.Count; d++)
            {
                if (isInput && dims.Count >= 3 && d == channelAxis) continue; // an input's channel count stays fixed
                dims[d] = new TensorShapeProto.Types.Dimension { DimParam = $"{value.Name}_d{d}" };
            }
        }
        model.Graph.ValueInfo.Clear();
        foreach (var node in model.Graph.Node.Where(n => n.OpType == "ConvTranspose"))
        {
            var outputShape = node.Attribute.FirstOrDefault(a => a.Name == "output_shape");
            if (outputShape is null) continue;
            long[] kernel = node.Attribute.FirstOrDefault(a => a.Name == "kernel_shape")?.Ints.ToArray()
                ?? throw new NotSupportedException("ConvTranspose with output_shape but no kernel_shape");
            int n = kernel.Length;
            long[] Get(string name, long fallback) =>
                node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray() is { Length: > 0 } v ? v : Enumerable.Repeat(fallback, n).ToArray();
            long[] strides = Get("strides", 1), dilations = Get("dilations", 1), extra = Get("output_padding", 0);
            string autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
            var pads = new long[2 * n];
            var newExtra = new long[n];
            for (int i = 0; i < n; i++)
            {
                // The input size is irrelevant when output_shape does not fit it; use one that never fits.
                long total = ConvTransposeOperator.TotalPaddingForOutputShape(-1_000_000, outputShape.Ints[outputShape.Ints.Count - n + i],
                    kernel[i], strides[i], dilations[i], extra[i]);
                if (total < 0)
                {
                    newExtra[i] = extra[i] - total;
                    continue;
                }
                newExtra[i] = extra[i];
                long half = total / 2;
                (pads[i], pads[n + i]) = autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
            }
            foreach (var name in new[] { "output_shape", "pads", "output_padding", "auto_pad" })
            {
                var a = node.Attribute.FirstOrDefault(x => x.Name == name);
                if (a is not null) node.Attribute.Remove(a);
            }
            node.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { pads } });
            node.Attribute.Add(new AttributeProto { Name = "output_padding", Type = AttributeProto.Types.AttributeType.Ints, Ints = { newExtra } });
        }
    }

    /// <summary>
    /// Copies <paramref name="tensor"/> (any float type) as float32 into <paramref name="feed"/>, the buffer ONNX
    /// Runtime reads, growing it when needed. The copy is managed: a libtorch copy would start its OpenMP workers,
    /// which then spin for a while and take the cores from ONNX Runtime's run (measured: a third slower on
    /// ResNet-18).
    /// </summary>
    public static void CopyToFeed(TorchSharp.torch.Tensor tensor, ref float[] feed)
    {
        long count = tensor.numel();
        if (feed.LongLength < count) feed = new float[count];
        using var values = tensor.to(TorchSharp.torch.ScalarType.Float32).contiguous();
        values.data<float>().CopyTo(feed.AsSpan(0, (int)count));
    }

    /// <summary>
    /// The shape and the values, as float32, of an ONNX Runtime tensor of float, float16, double or int64 elements;
    /// null for other element types and for values that are not tensors.
    /// </summary>
    public static (long[] Shape, float[] Values)? ReadFloats(OrtValue value)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR) return null;
        var info = value.GetTensorTypeAndShape();
        float[]? values = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => ToFloats(value.GetTensorDataAsSpan<Float16>(), v => (float)v),
            TensorElementType.Double => ToFloats(value.GetTensorDataAsSpan<double>(), v => (float)v),
            TensorElementType.Int64 => ToFloats(value.GetTensorDataAsSpan<long>(), v => v),
            _ => null,
        };
        return values is null ? null : (info.Shape, values);
    }

    /// <summary>
    /// Makes the model take float32 for <paramref name="inputName"/>: a float16 (bfloat16, double) input becomes a
    /// float input followed by a Cast, so ONNX Runtime converts it and Gaze feeds float arrays only.
    /// </summary>
    /// <returns>The name to feed.</returns>
    public static string FeedFloats(ModelProto model, string inputName, int elementType, string modelPath)
    {
        if (elementType == OnnxDataType.Float) return inputName;
        if (!OnnxDataType.IsFloatingPoint(elementType))
            throw new ModelInputException(modelPath, $"scores on ONNX Runtime start from a floating-point tensor; '{inputName}' is {OnnxDataType.Name(elementType)}");
        var names = model.Graph.Node.SelectMany(n => n.Input.Concat(n.Output)).ToHashSet(StringComparer.Ordinal);
        string feedName = inputName + "_float32";
        while (names.Contains(feedName)) feedName += "_";
        var declared = model.Graph.Input.First(i => i.Name == inputName);
        declared.Name = feedName;
        declared.Type.TensorType.ElemType = OnnxDataType.Float;
        var cast = new NodeProto { OpType = "Cast", Name = feedName + "_cast", Input = { feedName }, Output = { inputName } };
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = elementType });
        model.Graph.Node.Insert(0, cast);
        return feedName;
    }

    private static float[] ToFloats<T>(ReadOnlySpan<T> values, Func<T, float> convert)
    {
        var floats = new float[values.Length];
        for (int i = 0; i < values.Length; i++) floats[i] = convert(values[i]);
        return floats;
    }
}
