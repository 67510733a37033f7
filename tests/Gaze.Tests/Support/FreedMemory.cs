using static TorchSharp.torch;

namespace Gaze.Tests.Support;

/// <summary>
/// Fills memory that native code will be handed next with a chosen value: tensors of many sizes are allocated,
/// filled and freed, so a kernel that reads memory it never wrote sees that value instead of whatever happened to
/// be there (often harmless zeros or old finite numbers, which hide the fault).
/// </summary>
public static class FreedMemory
{
    /// <summary>Allocates, fills with <paramref name="value"/> and frees blocks of 64 bytes to 64 MB.</summary>
    public static void Poison(float value)
    {
        for (long count = 16; count <= 1 << 24; count *= 2)
        {
            using var block = full([count], value);
        }
    }
}
