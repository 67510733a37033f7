using System.Runtime.InteropServices;
using TorchSharp;

namespace Gaze.Engine;

/// <summary>
/// Turns off libtorch's NNPACK convolutions. On CPUs NNPACK does not support, libtorch retries initialising it for
/// every convolution over a batch of 16 or more and prints a warning each time; the convolution then runs on the
/// same fallback either way, so switching it off changes no result and keeps the console clean. TorchSharp does
/// not expose the switch, so it is called through libtorch's exported C++ symbols (Linux names; elsewhere it is a
/// no-op).
/// </summary>
internal static class NnpackSwitch
{
    private static int done;

    private delegate IntPtr GlobalContext();

    private delegate void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>Disables NNPACK once per process; failures are ignored (the only cost is the warnings).</summary>
    public static void DisableOnce()
    {
        if (Interlocked.Exchange(ref done, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            _ = torch.get_num_threads(); // makes TorchSharp load libtorch first
            if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(torch).Assembly, null, out IntPtr library)
                && !TryLoadBesideTorchSharp(out library))
                return;
            if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out IntPtr contextExport)
                || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out IntPtr setExport))
                return;
            IntPtr context = Marshal.GetDelegateForFunctionPointer<GlobalContext>(contextExport)();
            Marshal.GetDelegateForFunctionPointer<SetUserEnabled>(setExport)(context, false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            // Leave NNPACK as it is.
        }
    }

    private static bool TryLoadBesideTorchSharp(out IntPtr library)
    {
        string folder = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
        string path = Path.Combine(folder, "runtimes", "linux-x64", "native", "libtorch_cpu.so");
        library = IntPtr.Zero;
        return File.Exists(path) && NativeLibrary.TryLoad(path, out library);
    }
}
