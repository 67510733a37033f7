using Gaze.Engine;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>
/// The measurements behind <c>check</c> and <c>bench</c> stop at their next safe point once cancelled (Ctrl+C), with
/// <see cref="OperationCanceledException"/> instead of a partial result.
/// </summary>
public sealed class MeasurementCancellationTests
{
    private static string Mnist => SharedData.Require("models/mnist-cntk.onnx");

    [Fact]
    public void Interleaved_timing_stops_before_the_next_action_once_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        int runs = 0;
        Action[] actions = [() => runs++, () => { runs++; cancellation.Cancel(); }, () => runs++];

        Assert.ThrowsAny<OperationCanceledException>(() => Timing.Interleaved(100, actions, cancellation.Token));

        Assert.Equal(2, runs);
    }

    [Fact]
    public void A_cancelled_parity_check_compares_nothing()
    {
        using var graph = OnnxGraph.Load(Mnist);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ParityCheck.Run(graph, new ParityOptions { Batch = 2 }, cancellation.Token));
    }

    [Fact]
    public void A_cancelled_benchmark_and_profile_report_nothing()
    {
        using var graph = OnnxGraph.Load(Mnist);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        using var scope = NewDisposeScope();

        Assert.ThrowsAny<OperationCanceledException>(() => EngineBenchmark.Measure(graph, 2, null, 1000, cancellation.Token));
        var input = EngineBenchmark.RandomInput(graph, 2, null);
        Assert.ThrowsAny<OperationCanceledException>(() => EngineProfiler.Measure(graph, input, 1000, backward: true, cancellation.Token));
    }
}
