using Gaze.Engine;

namespace Gaze.IO;

/// <summary>
/// Checks a file Gaze is handed (a model, its external data, a sidecar, a labels list, a heatmap, annotations) before
/// it is read whole: it must be a regular file, since a FIFO blocks forever and a device never ends, and no larger
/// than its reader can use, since a huge file would be read whole before its content could be judged.
/// </summary>
public static class SuppliedFile
{
    /// <summary>Largest sidecar (<c>.gaze.json</c>): 1 MB, far above any real one.</summary>
    public const long MaxSidecarBytes = 1L << 20;

    /// <summary>Largest labels file: 16 MB (ImageNet-21k's labels take 0.5 MB).</summary>
    public const long MaxLabelsBytes = 16L << 20;

    /// <summary>
    /// Largest ONNX file read into memory: just under 2 GB, the largest .NET array and protobuf's own limit (larger
    /// models keep their weights in external data files).
    /// </summary>
    public const long MaxModelBytes = 0x7FFF_FFC7;

    /// <summary>Largest annotations file: 256 MB.</summary>
    public const long MaxAnnotationsBytes = 256L << 20;

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file of at most <paramref name="maxBytes"/>, or missing (the
    /// caller's own check reports that); otherwise what is wrong, to follow the path in a one-line message, e.g.
    /// <c>is a FIFO (named pipe), not a sidecar file</c>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes the reader accepts.</param>
    /// <param name="kind">What the file should be, for the message: <c>a sidecar file</c>, <c>a labels file</c>.</param>
    public static string? Problem(string path, long maxBytes, string kind)
    {
        if (FileKind.NonRegular(path) is { } other) return $"is {other}, not {kind}";
        var info = new FileInfo(path);
        if (info.Exists && info.Length > maxBytes)
            return $"is {ResourceLimits.FormatBytes(info.Length)}, more than the {ResourceLimits.FormatBytes(maxBytes)} {kind} may have";
        return null;
    }

    /// <summary>
    /// The whole text of <paramref name="path"/> (after <see cref="Problem"/> let it through); a failure to read it
    /// becomes <paramref name="error"/>'s exception with the one-line problem <c>cannot read: ...</c>.
    /// </summary>
    public static string ReadText(string path, Func<string, Exception, Exception> error)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw error($"cannot read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
