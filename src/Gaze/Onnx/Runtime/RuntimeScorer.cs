using Gaze.Errors;
using Gaze.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using OrtRunOptions = Microsoft.ML.OnnxRuntime.RunOptions;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// Scores batches on ONNX Runtime, forward only, for perturbation methods that run the network many times without
/// gradients: Score-CAM scores masked copies of the input (<see cref="ForInput"/>), Ablation-CAM re-runs only the
/// part of the network after a modified layer (<see cref="FromTensor"/>). The scores are the graph's pre-softmax
/// <see cref="OnnxGraph.ScoreName"/> tensor, as <see cref="GraphRun.Scores"/> gives them.
/// </summary>
/// <remarks>
/// The session runs an in-memory copy of the model cut down to what the score needs, with symbolic batch and
/// sizes. A model that declares a fixed batch is checked on the first batch of two or more: if the batched run
/// fails or differs from single-sample runs, every later batch runs sample by sample. Not for concurrent use.
/// </remarks>
public sealed class RuntimeScorer : IDisposable
{
    private readonly InferenceSession session;
    private readonly OrtRunOptions runOptions = new();
    private readonly string modelPath;
    private readonly string[] feedNames;
    private readonly string[] outputNames;
    private readonly int? rank;
    private readonly long? channels;
    private readonly int channelAxis;
    private Batching batching;
    private float[] feed = [];
    private bool disposed;

    private RuntimeScorer(ModelProto model, string modelPath, string inputName, string scoreName, int elementType,
        int? rank, long? channels, int channelAxis, bool fixedBatch)
    {
        this.modelPath = modelPath;
        InputName = inputName;
        ScoreName = scoreName;
        this.rank = rank;
        this.channels = channels;
        this.channelAxis = channelAxis;
        batching = fixedBatch ? Batching.Unverified : Batching.Whole;
        feedNames = [RuntimeSessions.FeedFloats(model, inputName, elementType, modelPath)];
        outputNames = [scoreName];

        using var options = RuntimeSessions.Options();
        // A batched run that fails on a model with a hard-coded batch is expected (it falls back to single samples).
        options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        session = new InferenceSession(model.ToByteArray(), options);
    }

    private enum Batching
    {
        /// <summary>Whole batches run at once (the model's batch is symbolic, or batching was verified).</summary>
        Whole,

        /// <summary>The model declares a fixed batch; the first batch of two or more decides.</summary>
        Unverified,

        /// <summary>Batched runs failed or differed: one run per sample.</summary>
        SampleBySample,
    }

    /// <summary>The tensor the scorer is fed: the graph input, or the layer of <see cref="FromTensor"/>.</summary>
    public string InputName { get; }

    /// <summary>The score tensor (<see cref="OnnxGraph.ScoreName"/>).</summary>
    public string ScoreName { get; }

    /// <summary>True once batches run one sample at a time because the model's fixed batch could not be relaxed.</summary>
    public bool RunsSampleBySample => batching == Batching.SampleBySample;

    /// <summary>A scorer fed the graph's input: <see cref="Scores"/> of a batch of inputs equals <see cref="GraphRun.Scores"/>.</summary>
    /// <param name="graph">A graph with one input.</param>
    /// <exception cref="ModelInputException">The graph has more than one input, or a non floating-point one.</exception>
    public static RuntimeScorer ForInput(OnnxGraph graph)
    {
        if (graph.Inputs.Count != 1)
            throw new ModelInputException(graph.ModelPath, $"scores on ONNX Runtime need a model with one input; it takes {graph.Inputs.Count} ({string.Join(", ", graph.Inputs.Select(i => i.Name))})");
        var input = graph.Inputs[0];
        var declared = graph.Model.Graph.Input.First(i => i.Name == input.Name).Clone();
        var model = ScoreSubgraph.Extract(graph, input.Slot, () => declared);
        RuntimeSessions.RelaxSizes(model, graph);
        bool fixedBatch = input.Shape is { Count: > 0 } shape && shape[0] is not null;
        if (fixedBatch) declared.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        return new RuntimeScorer(model, graph.ModelPath, input.Name, graph.ScoreName, input.ElementType, input.Rank, input.Channels, input.ChannelAxis, fixedBatch);
    }

    /// <summary>
    /// A scorer fed the intermediate tensor <paramref name="tensorName"/>: it runs only the nodes between that tensor
    /// and the score, so <see cref="Scores"/> of a layer's (modified) activations equals a Gaze run with that tensor
    /// replaced.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="tensorName">An exact tensor name (resolve aliases such as <c>layer4</c> with <see cref="LayerTable.Resolve"/> first).</param>
    /// <exception cref="UnknownLayerException">The graph has no tensor of that name.</exception>
    /// <exception cref="LayerBypassedException">The score also depends on the input around that tensor (a skip
    /// connection around it), or not on the tensor at all.</exception>
    public static RuntimeScorer FromTensor(OnnxGraph graph, string tensorName)
    {
        int slot = graph.SlotOf(tensorName);
        int elementType = OnnxDataType.Float;
        int? rank = null;
        long? channels = null;
        int channelAxis = graph.IsChannelsLast(tensorName) ? 3 : 1;
        var model = ScoreSubgraph.Extract(graph, slot, () =>
        {
            (elementType, rank, channels) = DescribeTensor(graph, tensorName, channelAxis);
            var type = new TypeProto.Types.Tensor { ElemType = elementType };
            if (rank is int r)
            {
                type.Shape = new TensorShapeProto();
                for (int d = 0; d < r; d++) type.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = $"d{d}" });
            }
            return new ValueInfoProto { Name = tensorName, Type = new TypeProto { TensorType = type } };
        });
        // Only ConvTranspose output shapes after the layer matter here; the declared input is not in the sub-model.
        RuntimeSessions.RelaxSizes(model, graph);
        bool fixedBatch = graph.Inputs.Any(i => i.Shape is { Count: > 0 } shape && shape[0] is not null);
        return new RuntimeScorer(model, graph.ModelPath, tensorName, graph.ScoreName, elementType, rank, channels, channelAxis, fixedBatch);
    }

    /// <summary>The pre-softmax scores [B,K] (float32) of a batch [B,...] of the scorer's input tensor.</summary>
    /// <param name="batch">A floating-point CPU tensor (float16 models round it to float16). It is not modified.</param>
    /// <exception cref="ModelInputException">The batch's rank or channel count does not fit the input.</exception>
    public Tensor Scores(Tensor batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Check(batch);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        RuntimeSessions.CopyToFeed(batch, ref feed);
        long[] shape = batch.shape;
        var scores = batching switch
        {
            _ when shape[0] == 1 => Run(0, shape),
            Batching.Whole => Run(0, shape),
            Batching.SampleBySample => RunEach(0, shape),
            _ => VerifyBatching(shape),
        };
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        session.Dispose();
        runOptions.Dispose();
    }

    /// <summary>
    /// Element type, rank and channel count of an intermediate tensor as ONNX Runtime infers them: Gaze computes
    /// float16 models in float32, so its own tensors cannot tell.
    /// </summary>
    private static (int ElementType, int? Rank, long? Channels) DescribeTensor(OnnxGraph graph, string name, int channelAxis)
    {
        if (graph.Inputs.FirstOrDefault(i => i.Name == name) is { } input)
            return (input.ElementType, input.Rank, input.Channels);
        var model = graph.Model.Clone();
        model.Graph.Output.Clear();
        model.Graph.Output.Add(new ValueInfoProto { Name = name });
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        using var probe = new InferenceSession(model.ToByteArray(), options);
        var metadata = probe.OutputMetadata[name];
        int[]? dims = metadata.Dimensions;
        long? channels = dims is { Length: >= 3 } && dims.Length > channelAxis && dims[channelAxis] > 0 ? dims[channelAxis] : null;
        return ((int)metadata.ElementDataType, dims?.Length, channels);
    }

    private void Check(Tensor batch)
    {
        string Shape() => "[" + string.Join(",", batch.shape) + "]";
        if (!batch.is_floating_point())
            throw new ModelInputException(modelPath, $"'{InputName}' takes floating-point values, got {batch.dtype}");
        if (rank is int r && batch.dim() != r)
            throw new ModelInputException(modelPath, $"'{InputName}' needs rank {r}, got a tensor of shape {Shape()}");
        if (batch.dim() == 0 || batch.shape[0] == 0)
            throw new ModelInputException(modelPath, $"'{InputName}' needs a non-empty batch, got a tensor of shape {Shape()}");
        if (channels is long c && batch.dim() > channelAxis && batch.shape[channelAxis] != c)
            throw new ModelInputException(modelPath, $"'{InputName}' needs {c} channels, got a tensor of shape {Shape()}");
    }

    /// <summary>
    /// Runs a batch once before the model's declared batch is trusted: whole-batch runs stay if they give exactly
    /// what single-sample runs give for the first two samples.
    /// </summary>
    private Tensor VerifyBatching(long[] shape)
    {
        Tensor? whole = null;
        try
        {
            whole = Run(0, shape);
        }
        catch (OnnxRuntimeException)
        {
            // A hard-coded batch (a Reshape to [1,...]) cannot run other batch sizes.
        }
        var firstTwo = RunEach(0, [2, .. shape[1..]]);
        if (whole is not null && whole.shape[0] == shape[0] && whole.narrow(0, 0, 2).Equals(firstTwo))
        {
            batching = Batching.Whole;
            return whole;
        }
        batching = Batching.SampleBySample;
        return shape[0] == 2 ? firstTwo : torch.cat([firstTwo, RunEach(2, [shape[0] - 2, .. shape[1..]])], 0);
    }

    /// <summary>One run per sample of the batch of <paramref name="shape"/> that starts at sample <paramref name="first"/> of the feed.</summary>
    private Tensor RunEach(long first, long[] shape)
    {
        long[] one = [1, .. shape[1..]];
        return torch.cat(Enumerable.Range(0, (int)shape[0]).Select(i => Run(first + i, one)).ToList(), 0);
    }

    /// <summary>One session run on the batch of <paramref name="shape"/> that starts at sample <paramref name="first"/> of the feed.</summary>
    private Tensor Run(long first, long[] shape)
    {
        long per = shape[1..].Aggregate(1L, (a, b) => a * b);
        var data = new Memory<float>(feed, (int)(first * per), (int)(shape[0] * per));
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);
        using var results = session.Run(runOptions, feedNames, [value], outputNames);
        var element = results[0].GetTensorTypeAndShape().ElementDataType;
        if (element is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Double))
            throw new ModelFormatException(modelPath, $"the score tensor '{ScoreName}' holds {element} values, not floating-point ones");
        var (outputShape, values) = RuntimeSessions.ReadFloats(results[0])!.Value;
        // The same [N,K] view as GraphRun.Scores, e.g. for [N,1000,1,1].
        return GraphRun.AsScores(torch.tensor(values, outputShape));
    }
}
