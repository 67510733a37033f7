using Gaze.Models;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// A network as the synthesis methods drive it: inputs are channels-first tensors of <see cref="Space"/> (an NHWC
/// model gets them permuted), scores are the pre-softmax class scores, and an objective computed from a run (scores,
/// captured layers) is differentiated with respect to the input by the engine's autograd.
/// </summary>
public sealed class SynthesisNetwork
{
    /// <summary>A view of <paramref name="graph"/> with the input convention <paramref name="input"/>.</summary>
    public SynthesisNetwork(OnnxGraph graph, ModelInput input)
    {
        Graph = graph;
        Space = new InputSpace(input);
    }

    /// <summary>The graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The input space.</summary>
    public InputSpace Space { get; }

    /// <summary>The class scores [N,classes] of <paramref name="x"/> [N,C,H,W], without gradients.</summary>
    public Tensor Scores(Tensor x)
    {
        using var scope = NewDisposeScope();
        using GraphRun run = Graph.Run(ToModelLayout(x));
        return run.Scores.detach().to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The activations of <paramref name="layers"/> for <paramref name="x"/>, without gradients, by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Features(Tensor x, IReadOnlyList<string> layers)
    {
        using var scope = NewDisposeScope();
        using GraphRun run = Graph.Run(ToModelLayout(x), new RunOptions { Capture = layers });
        return layers.Distinct().ToDictionary(l => l, l => Graph.ChannelsFirst(l, run.Captured[l].detach()).to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// One forward and backward pass: the value of <paramref name="objective"/> on the run of <paramref name="x"/>
    /// (which captures <paramref name="layers"/>), its gradient with respect to <paramref name="x"/>, channels first,
    /// and the run's class scores [N,classes].
    /// </summary>
    /// <param name="x">The input [N,C,H,W].</param>
    /// <param name="layers">The layers the objective reads from <see cref="GraphRun.Captured"/>.</param>
    /// <param name="objective">A scalar from the run and the differentiable input (channels first).</param>
    public (double Value, Tensor Gradient, Tensor Scores) Gradient(Tensor x, IReadOnlyCollection<string> layers, Func<GraphRun, Tensor, Tensor> objective)
    {
        using var scope = NewDisposeScope();
        using GraphRun run = Graph.Run(ToModelLayout(x), new RunOptions { InputGradient = true, Capture = layers });
        Tensor value = objective(run, ToChannelsFirst(run.Inputs[0]));
        Tensor gradient = ToChannelsFirst(Gradients.Of(value, run.Inputs[0])).to(x.dtype);
        Tensor scores = run.Scores.detach().to(ScalarType.Float32);
        return (value.detach().to(ScalarType.Float64).item<double>(), gradient.detach().MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }

    internal Tensor ToModelLayout(Tensor x) => Space.Input.Layout == TensorLayout.NHWC ? x.permute(0, 2, 3, 1).contiguous() : x;

    private Tensor ToChannelsFirst(Tensor x) => Space.Input.Layout == TensorLayout.NHWC ? x.permute(0, 3, 1, 2) : x;
}
