using Gaze.Onnx;

namespace Gaze.Models;

/// <summary>
/// A model opened the one way every command and the fine-tuner open it: the ONNX graph, its sidecar, the input
/// convention (options over the sidecar over what the graph states over the defaults, part by part; see
/// <see cref="InputSources"/>), the layer table, the default layer and the labels.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly Lazy<LayerTable> layers;
    private readonly Engine.ResourceLimits limits;

    private LoadedModel(string path, ModelMetadata metadata, ModelInput input, ModelInputSources sources, OnnxGraph graph, Engine.ResourceLimits limits)
    {
        Path = path;
        Metadata = metadata;
        Input = input;
        InputSources = sources;
        Graph = graph;
        this.limits = limits;
        layers = new Lazy<LayerTable>(ProbeLayers);
    }

    /// <summary>
    /// Reads the sidecar, applies <paramref name="overrides"/> and loads the graph. Nothing runs until
    /// <see cref="Layers"/> is first used.
    /// </summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="overrides">Input convention settings given on the command line.</param>
    /// <param name="precision">The number format of the graph's convolutions and matrix products.</param>
    /// <param name="limits">The memory budget one image's activations must fit (default <see cref="Engine.ResourceLimits.Default"/>).</param>
    /// <exception cref="Errors.GazeException">A missing or malformed model or sidecar, or an invalid override (one-line message naming it).</exception>
    public static LoadedModel Open(string path, ModelInputOverrides? overrides = null, Engine.Precision precision = Engine.Precision.Float32,
        Engine.ResourceLimits? limits = null)
    {
        ModelMetadata metadata = ModelMetadataReader.ReadFor(path);
        OnnxGraph graph = OnnxGraph.Load(path, precision);
        try
        {
            var (input, sources) = ModelInputResolution.Resolve(graph, metadata, overrides);
            // A layout or channel count the graph cannot take is refused here, before any node runs.
            if (graph.Inputs is [{ Rank: 4 } declared] && declared.Mismatch(input.TensorShape(1)) is { } mismatch)
            {
                string sidecar = metadata.SidecarPath is { } file && (sources.Layout == InputSource.Sidecar || sources.Channels == InputSource.Sidecar)
                    ? $" (the sidecar {file} says {ModelInputNames.Name(input.Layout)} {ModelInputNames.Name(input.Channels)})"
                    : "";
                throw new Errors.ModelInputException(path, mismatch + sidecar);
            }
            return new LoadedModel(path, metadata, input, sources, graph, limits ?? Engine.ResourceLimits.Default);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The estimated activation memory of one image: the input and every 4-D tensor of the layer table at the input
    /// size, in float32 (<see cref="LayerTable.ActivationBytesPerImage"/>). It runs the layer probe if it has not run
    /// yet. Gradient methods and training keep about as much again.
    /// </summary>
    public long ActivationBytesPerImage => Layers.ActivationBytesPerImage([Input.TensorShape(1)]);

    /// <summary>
    /// A request of <paramref name="requested"/> images at a time fitted to the activation budget of
    /// <paramref name="limits"/> (<see cref="ActivationBytesPerImage"/>); a batch of 1 needs no probe.
    /// </summary>
    public Engine.BatchFit FitBatch(int requested, Engine.ResourceLimits limits) =>
        Engine.BatchFit.For(requested, () => ActivationBytesPerImage, limits);

    /// <summary>The batch size of <see cref="FitBatch"/>.</summary>
    public int BatchFor(int requested, Engine.ResourceLimits limits) => FitBatch(requested, limits).Batch;

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>What the sidecar says (<see cref="ModelMetadata.None"/> without one).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The display name: the sidecar's, else the file name without extension.</summary>
    public string Name => Metadata.Name ?? System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>How images become input tensors.</summary>
    public ModelInput Input { get; }

    /// <summary>Where each part of <see cref="Input"/> came from (default, graph, sidecar or option).</summary>
    public ModelInputSources InputSources { get; }

    /// <summary>The differentiable graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The class labels, if the sidecar gives them.</summary>
    public IReadOnlyList<string>? Labels => Metadata.Labels;

    /// <summary>The 4-D tensors and the default CAM layer, probed at the input size on first use.</summary>
    /// <exception cref="Errors.ActivationBudgetException">One image at the input size would exceed the activation budget.</exception>
    public LayerTable Layers => layers.Value;

    /// <summary>How many classes the model scores.</summary>
    /// <exception cref="Errors.NotAClassifierException">Its score tensor is not [N, classes].</exception>
    public int ClassCount => Layers.ClassCount > 0
        ? Layers.ClassCount
        : throw new Errors.NotAClassifierException(Path, Graph.ScoreName, Layers.ScoreShape);

    /// <summary>The label of class <paramref name="index"/>, or "class N" without one.</summary>
    public string LabelOf(int index) => Labels is { } labels && index < labels.Count ? labels[index] : $"class {index}";

    /// <summary>
    /// The target layers named in <paramref name="text"/> (comma-separated tensor names or module aliases, duplicates
    /// dropped), or the default CAM layer when it is null or empty; each must have spatial dimensions.
    /// </summary>
    /// <exception cref="Errors.UnknownLayerException">No such layer.</exception>
    /// <exception cref="Errors.UnsuitableLayerException">A layer without spatial dimensions, or no default.</exception>
    public IReadOnlyList<string> ResolveLayers(string? text, string option = "--layer")
    {
        string[] requested = text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (requested.Length == 0) return [Layers.ResolveSpatial(null, option).Name];
        return requested.Select(name => Layers.ResolveSpatial(name, option).Name).Distinct().ToArray();
    }

    /// <summary>
    /// Probes the layers at the input size, after <see cref="LayerTable.RequireWithinBudget"/> has refused a large input
    /// whose activations would exceed the budget (running it once, even forward only, would already cost them).
    /// </summary>
    private LayerTable ProbeLayers()
    {
        var size = (Input.Size.Height, Input.Size.Width);
        LayerTable.RequireWithinBudget(Graph, size, limits);
        return LayerTable.Discover(Graph, Metadata.CamLayer, size);
    }

    /// <summary>Frees the graph.</summary>
    public void Dispose() => Graph.Dispose();
}
