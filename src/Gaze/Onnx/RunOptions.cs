using Gaze.Onnx.Operators;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>What a run of an <see cref="OnnxGraph"/> should record and change.</summary>
public sealed class RunOptions
{
    /// <summary>Options for a plain inference run: no gradients, nothing captured.</summary>
    public static RunOptions Default { get; } = new();

    /// <summary>Tensor names (layers) whose values the run returns in <see cref="GraphRun.Captured"/>.</summary>
    public IReadOnlyCollection<string> Capture { get; init; } = [];

    /// <summary>
    /// Record the autograd graph. Captured tensors are part of it and require grad, so gradients with respect to
    /// them can be taken (<see cref="Onnx.Gradients.Of(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, bool)"/>). Parameters require grad only after
    /// <see cref="OnnxGraph.MakeTrainable"/>. Without this the run is inference-only (no_grad).
    /// </summary>
    public bool Gradients { get; init; }

    /// <summary>
    /// Also make each input a leaf that requires grad (<see cref="GraphRun.Inputs"/>), for saliency and other
    /// input attributions. Implies <see cref="Gradients"/>. The caller's tensor is not modified.
    /// </summary>
    public bool InputGradient { get; init; }

    /// <summary>
    /// Values to use instead of what the graph computes for these tensor names. Nodes that would only produce them
    /// are skipped, and so is every node the outputs, the scores and <see cref="Capture"/> then no longer need (the
    /// part of the network before a replaced layer), unless <see cref="KeepAll"/> asks for every tensor.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? Replace { get; init; }

    /// <summary>
    /// Keep every intermediate tensor, which <see cref="OnnxGraph.Rerun"/> needs to reuse them. Otherwise
    /// intermediates are freed as soon as no later node needs them.
    /// </summary>
    public bool KeepAll { get; init; }

    /// <summary>A backward pass for every ReLU and ReLU-like Clip in this run (see <see cref="ReluBackward"/>).</summary>
    public ReluBackwardHook? ReluBackward { get; init; }

    /// <summary>When set, every executed node adds its time here, by plan index (see <see cref="Runtime.EngineProfiler"/>).</summary>
    internal long[]? NodeTicks { get; init; }

    internal bool RecordsGradients => Gradients || InputGradient;
}
