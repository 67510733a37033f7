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

    /// <summary>Sets the thread count of both engines.</summary>
    /// <exception cref="InvalidOptionException"><paramref name="threads"/> is not positive.</exception>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new InvalidOptionException("--threads", $"must be at least 1, got {threads}");
        set_num_threads(threads);
        EngineSettings.threads = threads;
    }
}
