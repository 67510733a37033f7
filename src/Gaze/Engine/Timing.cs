using System.Diagnostics;

namespace Gaze.Engine;

/// <summary>Median and spread of repeated timings, in milliseconds.</summary>
/// <param name="Median">The median.</param>
/// <param name="Min">The fastest run.</param>
/// <param name="Max">The slowest run.</param>
public sealed record Timing(double Median, double Min, double Max)
{
    /// <summary>
    /// Times several actions in interleaved rounds, so that a machine's changing load affects them alike: one
    /// warm-up round, then <paramref name="iterations"/> timed rounds. Each action starts after a short pause: both
    /// engines' worker threads keep spinning for a while after their work ends (OpenMP in libtorch, the intra-op pool
    /// in ONNX Runtime), and without the pause each action would pay for the previous one's spinning.
    /// </summary>
    /// <param name="iterations">Timed rounds after the warm-up round.</param>
    /// <param name="actions">The actions, timed in this order in every round.</param>
    /// <param name="cancellationToken">Checked before every action.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Timing[] Interleaved(int iterations, Action[] actions, CancellationToken cancellationToken = default)
    {
        var times = actions.Select(_ => new double[Math.Max(1, iterations)]).ToArray();
        for (int round = -1; round < times[0].Length; round++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                Thread.Sleep(SettleMilliseconds);
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                actions[a]();
                if (round >= 0) times[a][round] = clock.Elapsed.TotalMilliseconds;
            }
        }
        return times.Select(Summarize).ToArray();
    }

    /// <summary>Long enough for spinning worker threads to go to sleep.</summary>
    private const int SettleMilliseconds = 100;

    private static Timing Summarize(double[] times)
    {
        Array.Sort(times);
        double median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
        return new Timing(median, times[0], times[^1]);
    }
}
