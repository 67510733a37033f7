using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Engine;

/// <summary>Versions of Gaze and of the engines under it, read after libtorch has actually run an operation.</summary>
/// <param name="Gaze">Gaze's own version.</param>
/// <param name="TorchSharp">The TorchSharp assembly version.</param>
/// <param name="LibTorch">The libtorch version TorchSharp loaded.</param>
/// <param name="OnnxRuntime">The ONNX Runtime version.</param>
/// <param name="TorchThreads">Threads libtorch uses for intra-op parallelism.</param>
/// <param name="ProcessorCount">Logical processors the process may use.</param>
public sealed record EngineInfo(string Gaze, string TorchSharp, string LibTorch, string OnnxRuntime, int TorchThreads, int ProcessorCount)
{
    /// <summary>
    /// Loads libtorch, runs a small convolution and checks its value, then collects the versions.
    /// </summary>
    /// <exception cref="EngineUnavailableException">libtorch did not load or computed a wrong result.</exception>
    public static EngineInfo Probe()
    {
        try
        {
            using var scope = NewDisposeScope();
            // A 3x3 box filter over ones must give 9 in the centre: proves the native library runs, not just loads.
            var ones3x3 = ones(1, 1, 3, 3);
            double centre = nn.functional.conv2d(ones3x3, ones(1, 1, 3, 3), padding: new long[] { 1, 1 })[0, 0, 1, 1].item<float>();
            if (centre != 9.0) throw new EngineUnavailableException($"libtorch computed a wrong convolution ({centre} instead of 9)");
            return new EngineInfo(
                Gaze: GazeVersion.Current,
                TorchSharp: typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
                LibTorch: __version__,
                OnnxRuntime: OrtEnv.Instance().GetVersionString(),
                TorchThreads: get_num_threads(),
                ProcessorCount: Environment.ProcessorCount);
        }
        catch (TypeInitializationException e)
        {
            throw new EngineUnavailableException($"libtorch failed to load: {(e.InnerException ?? e).Message}", e);
        }
        catch (DllNotFoundException e)
        {
            throw new EngineUnavailableException($"libtorch failed to load: {e.Message}", e);
        }
    }
}
