using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// Forward-only scoring for perturbation methods: whole inputs (Score-CAM) or replaced activations of one layer
/// (Ablation-CAM, which re-runs only the nodes after the layer). With <see cref="AttributionOptions.ScoreWithOnnxRuntime"/>
/// the runs go to ONNX Runtime (the whole model, or the sub-model that starts at the layer); a model ONNX Runtime
/// cannot serve that way (several inputs, a skip connection around the layer) falls back to Gaze's own graph.
/// </summary>
internal sealed class PerturbationScorers(OnnxGraph graph, AttributionOptions options) : IDisposable
{
    private RuntimeScorer? inputScorer;
    private bool inputScorerTried;
    private readonly Dictionary<string, RuntimeScorer?> layerScorers = new(StringComparer.Ordinal);

    private readonly List<IDisposable> owned = [];

    /// <summary>An NCHW batch in the layout the model takes.</summary>
    public Tensor ToModelLayout(Tensor nchw) =>
        options.InputLayout == TensorLayout.NHWC ? nchw.permute(0, 2, 3, 1) : nchw;

    /// <summary>A batch in the model's layout as NCHW (a view).</summary>
    public Tensor ToChannelsFirst(Tensor batch) =>
        options.InputLayout == TensorLayout.NHWC ? batch.permute(0, 3, 1, 2) : batch;

    /// <summary>The target's pre-softmax scores [B] of a batch of NCHW inputs.</summary>
    public Tensor InputScore(Tensor inputs, int target)
    {
        using var scope = NewDisposeScope();
        return InputScores(inputs).select(1, target).MoveToOuterDisposeScope();
    }

    /// <summary>The pre-softmax scores [B,classes] of a batch of NCHW inputs.</summary>
    public Tensor InputScores(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        if (InputScorer() is { } runtime) return runtime.Scores(ToModelLayout(inputs)).MoveToOuterDisposeScope();
        using GraphRun run = graph.Run(ToModelLayout(inputs));
        return run.Scores.detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scores of image i's target when <paramref name="layer"/>'s activations are replaced by a batch of copies; the
    /// nodes before the layer run once per image and are reused.
    /// </summary>
    public Func<int, Tensor, int, Tensor> LayerScore(string layer, Tensor input)
    {
        if (LayerScorer(layer) is { } runtime)
        {
            return (_, activations, target) =>
            {
                using var scope = NewDisposeScope();
                return runtime.Scores(graph.InLayoutOf(layer, activations).contiguous()).select(1, target).MoveToOuterDisposeScope();
            };
        }
        var baseRuns = new Dictionary<int, GraphRun>();
        return (image, activations, target) =>
        {
            if (!baseRuns.TryGetValue(image, out GraphRun? baseRun))
            {
                Tensor single = ToModelLayout(input.narrow(0, image, 1)).DetachFromDisposeScope();
                baseRun = graph.Run(single, new RunOptions { KeepAll = true }).DetachFromDisposeScope();
                baseRuns[image] = baseRun;
                owned.Add(single);
                owned.Add(baseRun);
            }
            using var scope = NewDisposeScope();
            using GraphRun rerun = graph.Rerun(baseRun, new Dictionary<string, Tensor> { [layer] = graph.InLayoutOf(layer, activations) });
            return rerun.Scores.select(1, target).MoveToOuterDisposeScope();
        };
    }

    private RuntimeScorer? InputScorer()
    {
        if (!options.ScoreWithOnnxRuntime || inputScorerTried) return inputScorer;
        inputScorerTried = true;
        try
        {
            inputScorer = RuntimeScorer.ForInput(graph);
            owned.Add(inputScorer);
        }
        catch (Errors.ModelInputException)
        {
            // Several or non-float inputs: Gaze's graph scores them.
        }
        return inputScorer;
    }

    private RuntimeScorer? LayerScorer(string layer)
    {
        if (!options.ScoreWithOnnxRuntime) return null;
        if (layerScorers.TryGetValue(layer, out RuntimeScorer? known)) return known;
        RuntimeScorer? scorer = null;
        try
        {
            scorer = RuntimeScorer.FromTensor(graph, layer);
            owned.Add(scorer);
        }
        catch (Errors.LayerBypassedException)
        {
            // A skip connection goes around the layer: Gaze re-runs the nodes after it from a kept full run.
        }
        layerScorers[layer] = scorer;
        return scorer;
    }

    /// <summary>Frees the kept runs.</summary>
    public void Dispose()
    {
        foreach (IDisposable item in owned) item.Dispose();
        owned.Clear();
    }
}
