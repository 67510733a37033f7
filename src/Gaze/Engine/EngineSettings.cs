using Gaze.Errors;
using static TorchSharp.torch;

namespace Gaze.Engine;

/// <summary>Process-wide settings of the compute engines.</summary>
public static class EngineSettings
{
    private static int? threads;

    /// <summary>
    /// Threads for libtorch and ONNX Runtime sessions created afterwards; null leaves libtorch's default
    /// (one per core).
    /// </summary>
    public static int? Threads => threads;

    /// <summary>
    /// Sets the thread count of both engines, at most <see cref="ResourceLimits.MaxThreads"/>, and returns the
    /// count set (less than <paramref name="threads"/> when it was reduced).
    /// </summary>
    /// <param name="threads">The requested count.</param>
    /// <param name="limits">The limits; null for <see cref="ResourceLimits.Default"/> (one thread per processor).</param>
    /// <exception cref="InvalidOptionException"><paramref name="threads"/> is not positive.</exception>
    public static int SetThreads(int threads, ResourceLimits? limits = null)
    {
        if (threads < 1) throw new InvalidOptionException("--threads", $"must be at least 1, got {threads}");
        int applied = (limits ?? ResourceLimits.Default).ThreadsFor(threads);
        set_num_threads(applied);
        EngineSettings.threads = applied;
        return applied;
    }
}
