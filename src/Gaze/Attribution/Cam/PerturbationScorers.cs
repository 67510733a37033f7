using Gaze.Models;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Forward-only scoring for perturbation methods: whole inputs (Score-CAM) or replaced activations of one layer
/// (Ablation-CAM, which re-runs only the nodes after the layer).
/// </summary>
internal sealed class PerturbationScorers(OnnxGraph graph, CamOptions options) : IDisposable
{
    /// <summary>An NCHW batch in the layout the model takes.</summary>
    public Tensor ToModelLayout(Tensor nchw) =>
        options.InputLayout == TensorLayout.NHWC ? nchw.permute(0, 2, 3, 1) : nchw;

    /// <summary>The target's pre-softmax scores [B] of a batch of NCHW inputs.</summary>
    public Tensor InputScore(Tensor inputs, int target)
    {
        using var scope = NewDisposeScope();
        using GraphRun run = graph.Run(ToModelLayout(inputs));
        return run.Scores.select(1, target).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scores of image i's target when <paramref name="layer"/>'s activations are replaced by a batch of copies; the
    /// nodes before the layer run once per image and are reused.
    /// </summary>
    public Func<int, Tensor, int, Tensor> LayerScore(string layer, Tensor input)
    {
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
            using GraphRun rerun = graph.Rerun(baseRun, new Dictionary<string, Tensor> { [layer] = activations });
            return rerun.Scores.select(1, target).MoveToOuterDisposeScope();
        };
    }

    private readonly List<IDisposable> owned = [];

    /// <summary>Frees the kept runs.</summary>
    public void Dispose()
    {
        foreach (IDisposable item in owned) item.Dispose();
        owned.Clear();
    }
}
