using System.Text.Json;
using Gaze.Engine;

namespace Gaze.Cli.Commands;

/// <summary><c>gaze --version</c>: the versions of Gaze and its engines, after libtorch ran an operation.</summary>
public static class VersionReport
{
    /// <summary>Probes the engines and prints their versions; exits 0 only when libtorch computed correctly.</summary>
    public static int Write(CliContext context)
    {
        EngineInfo info = EngineInfo.Probe();
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                gaze = info.Gaze,
                torchsharp = info.TorchSharp,
                libtorch = info.LibTorch,
                onnxruntime = info.OnnxRuntime,
                threads = info.TorchThreads,
                processors = info.ProcessorCount,
            }));
            return ExitCodes.Success;
        }
        context.Output.WriteLine($"gaze {info.Gaze}");
        context.Output.WriteLine($"TorchSharp {info.TorchSharp} (libtorch {info.LibTorch})");
        context.Output.WriteLine($"ONNX Runtime {info.OnnxRuntime}");
        context.Output.WriteLine($"CPU threads {info.TorchThreads} (of {info.ProcessorCount} processors)");
        return ExitCodes.Success;
    }
}
