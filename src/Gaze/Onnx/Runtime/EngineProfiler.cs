using System.Diagnostics;
using Gaze.Onnx.Operators;
using static TorchSharp.torch;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// Times every node of Gaze's forward pass (libtorch runs operators synchronously on the CPU, so a node's wall time
/// is its cost) and, optionally, the backward pass to the input as a whole (autograd runs it as one call).
/// </summary>
public static class EngineProfiler
{
    /// <summary>Profiles <paramref name="iterations"/> passes of <paramref name="graph"/> on <paramref name="input"/> after one warm-up pass.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="input">A batch in the model's own layout.</param>
    /// <param name="iterations">Profiled passes.</param>
    /// <param name="backward">Also run and time the backward pass to the input (the forward then records gradients).</param>
    /// <param name="cancellationToken">Checked before every pass.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static EngineProfile Measure(OnnxGraph graph, Tensor input, int iterations, bool backward, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var ticks = new long[graph.Plan.Nodes.Length];
        long forwardTicks = 0, backwardTicks = 0;
        long? faultsBefore = null;
        for (int round = -1; round < iterations; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (round == 0) faultsBefore = MinorPageFaults();
            using var scope = NewDisposeScope();
            var counted = round < 0 ? new long[ticks.Length] : ticks;
            long started = Stopwatch.GetTimestamp();
            using GraphRun run = graph.Run(input, new RunOptions { InputGradient = backward, NodeTicks = counted });
            long forwarded = Stopwatch.GetTimestamp();
            if (backward)
            {
                Tensor top = run.Scores.max(1).values.sum();
                Gradients.Of(top, run.Inputs[0]);
            }
            if (round < 0) continue;
            forwardTicks += forwarded - started;
            backwardTicks += Stopwatch.GetTimestamp() - forwarded;
        }

        long? faults = faultsBefore is long before && MinorPageFaults() is long after ? (after - before) / iterations : null;
        double PerPass(long t) => t * 1000.0 / Stopwatch.Frequency / iterations;
        double forward = PerPass(forwardTicks);
        var nodes = graph.Plan.Nodes.Select((node, i) =>
                new OperatorTime(NodeContext.Describe(node.Proto), node.OpType, 1, PerPass(ticks[i]), 100 * PerPass(ticks[i]) / forward))
            .OrderByDescending(t => t.Milliseconds).ToList();
        var operators = nodes.GroupBy(n => n.OpType)
            .Select(g => new OperatorTime(g.Key, g.Key, g.Count(), g.Sum(n => n.Milliseconds), g.Sum(n => n.Percent)))
            .OrderByDescending(t => t.Milliseconds).ToList();
        return new EngineProfile(forward, backward ? PerPass(backwardTicks) : null, operators, nodes, faults);
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat), or null where there is no /proc.</summary>
    private static long? MinorPageFaults()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
