using Gaze.Onnx;
using Gaze.Onnx.Operators;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// The plumbing an <see cref="AttributionMethod"/> states its math over: the model, the target layers, the options,
/// layout conversion, input gradients and forward-only scoring of perturbed inputs. One context serves many calls
/// (its ONNX Runtime sessions are opened once); an <see cref="Explainer"/> owns it.
/// </summary>
public sealed class AttributionContext : IDisposable
{
    private readonly Dictionary<Type, object> shared = [];

    internal AttributionContext(OnnxGraph graph, IReadOnlyList<string> layers, AttributionOptions options)
    {
        Graph = graph;
        Layers = layers;
        Options = options;
        Scorers = new PerturbationScorers(graph, options);
        LayerRuns = new LayerRuns(graph, layers, options);
    }

    /// <summary>The model.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The target layers (tensor names) for methods that work on layers; may be empty for the others.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>Smoothing, batching and scoring options.</summary>
    public AttributionOptions Options { get; }

    /// <summary>Forward-only scoring of perturbed inputs and activations (ONNX Runtime where it can).</summary>
    internal PerturbationScorers Scorers { get; }

    /// <summary>Forward passes that capture the target layers, for gradients from an ONNX Runtime prefix where it can.</summary>
    internal LayerRuns LayerRuns { get; }

    /// <summary>An NCHW batch in the layout the model takes.</summary>
    public Tensor ToModelLayout(Tensor nchw) => Scorers.ToModelLayout(nchw);

    /// <summary>A batch in the model's layout as NCHW (a view).</summary>
    public Tensor ToChannelsFirst(Tensor batch) => Scorers.ToChannelsFirst(batch);

    /// <summary>The target's pre-softmax scores [B] of a batch of perturbed NCHW inputs, forward only.</summary>
    public Tensor InputScores(Tensor inputs, int target) => Scorers.InputScore(inputs, target);

    /// <summary>
    /// The pre-softmax scores [B,classes] of a batch of NCHW inputs, forward only, on the engine that
    /// <see cref="InputScores(Tensor, int)"/> uses, so that a method's reference scores and its perturbed scores
    /// round alike.
    /// </summary>
    public Tensor Scores(Tensor inputs) => Scorers.InputScores(inputs);

    /// <summary>
    /// The pre-softmax scores [B,classes] of a batch of NCHW inputs, forward only, on Gaze's own graph: the engine
    /// of <see cref="InputGradients"/>, so that a gradient method's F(x) and its gradients come from the same arithmetic.
    /// </summary>
    public Tensor GraphScores(Tensor inputs)
    {
        using GraphRun run = Graph.Run(ToModelLayout(inputs));
        return run.Scores.detach().clone();
    }

    /// <summary>
    /// One forward and backward pass: the scores [N,classes] of <paramref name="input"/> (NCHW), the targets resolved
    /// from them, and the gradient [N,C,H,W] of each image's target score with respect to its input.
    /// </summary>
    /// <param name="input">The batch, channels first.</param>
    /// <param name="targets">Which class to differentiate for each image.</param>
    /// <param name="reluBackward">Replaces the backward pass of every ReLU (guided backpropagation), or null.</param>
    public (Tensor Scores, IReadOnlyList<int> Targets, Tensor Gradients) InputGradients(Tensor input, TargetRequest targets, ReluBackwardHook? reluBackward = null)
    {
        using var scope = NewDisposeScope();
        using GraphRun run = Graph.Run(ToModelLayout(input), new RunOptions { InputGradient = true, ReluBackward = reluBackward });
        IReadOnlyList<int> resolved = targets.Resolve(run.Scores);
        Tensor index = tensor(resolved.Select(t => (long)t).ToArray()).unsqueeze(1);
        // Summing over the batch keeps each image's gradient its own: image i's score depends on image i only.
        Tensor gradients = ToChannelsFirst(Gradients.Of(run.Scores.gather(1, index).sum(), run.Inputs[0]));
        return (run.Scores.detach().MoveToOuterDisposeScope(), resolved, gradients.detach().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// One object of type <typeparamref name="T"/> per context, made on first use: plumbing a family of methods
    /// shares across calls (e.g. the CAM explainer).
    /// </summary>
    public T Shared<T>(Func<AttributionContext, T> create) where T : class
    {
        if (!shared.TryGetValue(typeof(T), out object? value))
        {
            value = create(this);
            shared[typeof(T)] = value;
        }
        return (T)value;
    }

    /// <summary>Frees the ONNX Runtime sessions and the shared plumbing.</summary>
    public void Dispose()
    {
        foreach (IDisposable item in shared.Values.OfType<IDisposable>()) item.Dispose();
        shared.Clear();
        Scorers.Dispose();
        LayerRuns.Dispose();
    }
}
