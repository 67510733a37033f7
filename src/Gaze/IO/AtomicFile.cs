using Gaze.Errors;

namespace Gaze.IO;

/// <summary>
/// Writes files all or nothing: the content goes to a hidden temporary file in the same directory, which is
/// renamed over the target only once it is complete. A failure or a crash never leaves a partial output behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with what <paramref name="writeContent"/> puts into the stream it is given.</summary>
    /// <exception cref="OutputFileException">The file cannot be written (missing directory, no permission, full disk).</exception>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentNullException.ThrowIfNull(writeContent);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new OutputFileException(path, "not a file path");
        string name = Path.GetFileName(fullPath);
        if (name.Length == 0) throw new OutputFileException(path, "not a file path");
        if (!Directory.Exists(directory)) throw new OutputFileException(path, $"directory {directory} does not exist");
        if (Directory.Exists(fullPath)) throw new OutputFileException(path, "is a directory");

        // Same directory, so the final rename stays on one file system and is atomic.
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new OutputFileException(path, $"cannot write: {OneLine(e.Message)}", e);
        }
        catch (ArgumentOutOfRangeException e) when (e.TargetSite?.DeclaringType == typeof(RandomAccess))
        {
            // .NET reports EFBIG (a file size limit such as ulimit -f, or FAT32's 4 GB) from its file writes this way.
            TryDelete(temporary);
            throw new OutputFileException(path, "cannot write: the file is larger than this file system or the process's file size limit allows", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> with exactly <paramref name="bytes"/>.</summary>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
