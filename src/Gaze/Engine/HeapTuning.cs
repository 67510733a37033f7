using System.Runtime.InteropServices;

namespace Gaze.Engine;

/// <summary>
/// Keeps freed tensor memory in the process instead of handing it back to the kernel after every node. libtorch
/// allocates each CPU tensor with glibc's <c>posix_memalign</c>; with glibc's defaults, blocks over a (dynamic)
/// threshold are mapped and unmapped per allocation and the heap top is trimmed on free, so every layer's output
/// lands on fresh pages and pays a page fault per 4 KiB (about 50,000 per SqueezeNet pass at batch 16, a third of
/// the pass). Serving large blocks from the heap and never trimming it makes later passes reuse warm memory. The
/// cost is that the process keeps its peak heap until it exits, which a run over many images reaches in its first
/// batch anyway. Only glibc on Linux is tuned; elsewhere (or if the call fails) nothing changes.
/// </summary>
internal static class HeapTuning
{
    private const int TrimThreshold = -1;
    private const int MmapMax = -4;
    private static int done;

    /// <summary>Applies the settings once per process.</summary>
    public static void ApplyOnce()
    {
        if (Interlocked.Exchange(ref done, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            // No mapped blocks: large tensors come from the heap like small ones.
            _ = MallocOption(MmapMax, 0);
            // Never give the heap top back (the largest value mallopt accepts).
            _ = MallocOption(TrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: leave the allocator as it is.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int parameter, int value);
}
