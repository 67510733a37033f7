using Gaze.Engine;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// What one optimisation step costs against its yardstick, one forward and backward pass to the input of the same
/// size. A step's time is (T(1 + n steps) − T(1 step)) / n, which takes out each run's set-up (starting noise, the
/// style targets' forward passes).
/// </summary>
/// <param name="ForwardBackward">One forward+backward pass to a model-sized input.</param>
/// <param name="VisualizationStep">One class-visualisation step (jitter, pass, step, clamp, the blur every 10th).</param>
/// <param name="StyleForwardBackward">One forward+backward pass to the style transfer's content-sized input.</param>
/// <param name="StyleStep">One style-transfer step (pass with captures, Gram losses, Adam, clamp).</param>
public sealed record SynthesisBenchmarkResult(double ForwardBackward, double VisualizationStep, double StyleForwardBackward, double StyleStep);

/// <summary>Times synthesis steps against forward+backward passes, interleaved (see <see cref="Timing.Interleaved"/>).</summary>
public static class SynthesisBenchmark
{
    private const int Steps = 10;

    /// <summary>Measures on <paramref name="network"/>; style steps use <paramref name="style"/> at <paramref name="contentSide"/> pixels.</summary>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every timed run).</exception>
    public static SynthesisBenchmarkResult Measure(SynthesisNetwork network, StyleTransferOptions style, int contentSide, int iterations,
        CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        InputSpace space = network.Space;
        manual_seed(1);
        Tensor image = space.Clamp(randn(1, space.Channels, space.Input.Size.Height, space.Input.Size.Width) * space.Scale);
        Tensor content = space.Clamp(randn(1, space.Channels, contentSide, contentSide) * space.Scale);
        var visualize = new ClassVisualizationOptions { Target = 0 };
        Action Pass(Tensor x) => () =>
        {
            using var inner = NewDisposeScope();
            network.Gradient(x, [], (run, _) => run.Scores[0, 0]);
        };
        Action Visualize(int steps) => () =>
        {
            using var inner = NewDisposeScope();
            ClassVisualization.Run(network, visualize with { Iterations = steps }).Dispose();
        };
        Action Style(int steps) => () =>
        {
            using var inner = NewDisposeScope();
            StyleTransfer.Run(network, content, content, style with { Iterations = steps }).Dispose();
        };
        Timing[] t = Timing.Interleaved(iterations, [Pass(image), Visualize(1), Visualize(1 + Steps), Pass(content), Style(1), Style(1 + Steps)], cancellationToken);
        return new SynthesisBenchmarkResult(t[0].Median, (t[2].Median - t[1].Median) / Steps, t[3].Median, (t[5].Median - t[4].Median) / Steps);
    }
}
