using Gaze.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// ONNX Runtime's forward pass of a graph's model on one fixed batch, ready to be timed: the yardstick that Gaze's
/// own passes are measured against, with ONNX Runtime's default settings.
/// </summary>
internal sealed class OnnxRuntimeForward : IDisposable
{
    private readonly InferenceSession session;
    private readonly List<NamedOnnxValue[]> feeds;

    private OnnxRuntimeForward(InferenceSession session, List<NamedOnnxValue[]> feeds, string? note)
    {
        this.session = session;
        this.feeds = feeds;
        Note = note;
    }

    /// <summary>How the batch is run, when not as the model declares it.</summary>
    public string? Note { get; }

    /// <summary>
    /// Prepares a session for <paramref name="input"/> (a batch in the model's layout). Models that declare a fixed
    /// batch or size get a copy with symbolic sizes; if that copy cannot run the batch (a hard-coded Reshape), the
    /// samples run one by one.
    /// </summary>
    public static OnnxRuntimeForward Create(OnnxGraph graph, Tensor input)
    {
        var declared = graph.Inputs[0];
        long batch = input.shape[0];
        float[] values = input.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        int[] dims = input.shape.Select(d => (int)d).ToArray();
        // ONNX Runtime as its users run it (worker threads spin between runs); quiet logging: a failed whole-batch
        // attempt is expected for models that hard-code their batch.
        using var options = RuntimeSessions.Options(spinning: true);
        options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;

        var model = graph.Model.Clone();
        bool relaxed = declared.Shape is { } s && s.Select((d, i) => d is long v && v != input.shape[i]).Any(x => x);
        if (relaxed)
        {
            foreach (var v in model.Graph.Input.Where(v => v.Name == declared.Name).Concat(model.Graph.Output))
            {
                var d = v.Type?.TensorType?.Shape?.Dim;
                if (d is { Count: > 0 }) d[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
            }
            RuntimeSessions.RelaxSizes(model, graph);
        }
        var session = new InferenceSession(model.ToByteArray(), options);

        NamedOnnxValue Feed(float[] data, int[] shape) => declared.ElementType == OnnxDataType.Float16
            ? NamedOnnxValue.CreateFromTensor(declared.Name, new DenseTensor<Float16>(data.Select(x => (Float16)x).ToArray(), shape))
            : NamedOnnxValue.CreateFromTensor(declared.Name, new DenseTensor<float>(data, shape));

        var whole = new[] { Feed(values, dims) };
        try
        {
            using var probe = session.Run(whole);
        }
        catch (OnnxRuntimeException)
        {
            int[] one = (int[])dims.Clone();
            one[0] = 1;
            int per = values.Length / (int)batch;
            var samples = Enumerable.Range(0, (int)batch).Select(i => new[] { Feed(values.AsSpan(i * per, per).ToArray(), one) }).ToList();
            return new OnnxRuntimeForward(session, samples, $"ONNX Runtime ran {batch} single-sample runs (the model hard-codes its batch)");
        }
        return new OnnxRuntimeForward(session, [whole], relaxed ? "ONNX Runtime ran a copy with a symbolic batch/size" : null);
    }

    /// <summary>Runs the batch once.</summary>
    public void Run()
    {
        foreach (var feed in feeds)
        {
            using var results = session.Run(feed);
        }
    }

    /// <summary>Frees the session.</summary>
    public void Dispose() => session.Dispose();
}
