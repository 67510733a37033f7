using System.Runtime.InteropServices;

namespace Gaze.IO;

/// <summary>
/// Tells a regular file from a directory, pipe, socket or device by its metadata alone: opening a FIFO for reading
/// blocks until someone writes, and a device such as <c>/dev/zero</c> never ends, so these are refused unopened.
/// </summary>
public static class FileKind
{
    // statx(2) rather than stat(2): its buffer has the same layout on every Linux architecture.
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x0001;
    private const int StatxBufferSize = 256;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file (or a link to one), else what it is instead, e.g.
    /// <c>a FIFO (named pipe)</c>. Where the type cannot be read (not Linux, or no such file), null: the caller's
    /// own open reports a missing file.
    /// </summary>
    public static string? NonRegular(string path)
    {
        if (Directory.Exists(path)) return "a directory";
        if (!OperatingSystem.IsLinux()) return null;
        int? mode;
        try
        {
            mode = ModeOf(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        return mode is not int known ? null : (known & TypeMask) switch
        {
            0x8000 => null,
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            0x4000 => "a directory",
            _ => "not a regular file",
        };
    }

    private static int? ModeOf(string path)
    {
        var buffer = new byte[StatxBufferSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return null;
        return BitConverter.ToUInt16(buffer, ModeOffset);
    }

    // DllImport, not LibraryImport, which would need unsafe code in the whole library for this one call.
    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
