namespace Gaze.Reporting;

/// <summary>An output directory from <see cref="OutputDirectory.Claim"/> and the directories that call created.</summary>
/// <param name="Path">The directory's absolute path.</param>
/// <param name="Created">The directories created for it, innermost first (empty when it existed already).</param>
public sealed record PreparedOutput(string Path, IReadOnlyList<string> Created)
{
    /// <summary>
    /// Removes the directory with everything in it if this run created it, and the parents it created if they are
    /// empty; a directory the user had already is left alone.
    /// </summary>
    public void RemoveIfCreated()
    {
        foreach (string dir in Created)
        {
            try
            {
                if (!Directory.Exists(dir)) continue;
                if (dir == Path) Directory.Delete(dir, recursive: true);
                else if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Removes the temporary files an interrupted or killed run left (the report's picture cache, half-written files).</summary>
    internal void RemoveLeftovers()
    {
        try
        {
            string cache = System.IO.Path.Combine(Path, ExplanationWriter.PictureCacheName);
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
            foreach (string file in Directory.EnumerateFiles(Path, ".*.tmp", SearchOption.AllDirectories)) File.Delete(file);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
