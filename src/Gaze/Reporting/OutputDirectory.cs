using System.Globalization;
using Gaze.Errors;

namespace Gaze.Reporting;

/// <summary>
/// Chooses the directory an explanation run writes into: the one the user named, or a fresh
/// <c>gaze-out/&lt;timestamp&gt;</c>. A directory that already holds files is never reused silently.
/// </summary>
public static class OutputDirectory
{
    /// <summary>Where fresh output directories are created unless the caller says otherwise.</summary>
    public const string DefaultParent = "gaze-out";

    /// <summary>
    /// The directory to write into, created if needed. Without <paramref name="requested"/> a fresh directory under
    /// <paramref name="defaultParent"/> (see <see cref="CreateFresh(string)"/>). A requested directory may exist only
    /// if it is empty, unless <paramref name="overwrite"/> allows replacing what it holds.
    /// </summary>
    /// <param name="requested">The user's choice (e.g. <c>--out</c>), or null.</param>
    /// <param name="overwrite">Accept a requested directory that already holds files.</param>
    /// <param name="defaultParent">Parent of fresh directories.</param>
    /// <param name="option">The option that named the directory, for error messages.</param>
    /// <returns>The directory's absolute path.</returns>
    /// <exception cref="InvalidOptionException">The requested directory is not empty and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="OutputFileException">The path is a file, or the directory cannot be created.</exception>
    public static string Prepare(string? requested, bool overwrite = false, string defaultParent = DefaultParent, string option = "--out") =>
        Claim(requested, overwrite, defaultParent, option).Path;

    /// <summary>
    /// Like <see cref="Prepare"/>, and says which directories this call created, so that a run that produced nothing
    /// can remove them again (<see cref="PreparedOutput.RemoveIfCreated"/>). A reused directory (with
    /// <paramref name="overwrite"/>) loses the temporary files an interrupted run may have left in it.
    /// </summary>
    /// <exception cref="InvalidOptionException">The requested directory is empty text, or is not empty and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="OutputFileException">The path is a file, or the directory cannot be created.</exception>
    public static PreparedOutput Claim(string? requested, bool overwrite = false, string defaultParent = DefaultParent, string option = "--out")
    {
        if (requested is not null && string.IsNullOrWhiteSpace(requested))
            throw new InvalidOptionException(option, "is empty; name a directory, or leave the option out for a new folder under gaze-out/");
        string full = Path.GetFullPath(requested ?? defaultParent);
        List<string> missing = MissingDirectories(full);
        if (requested is null)
        {
            string fresh = CreateFresh(defaultParent);
            return new PreparedOutput(fresh, [fresh, .. missing]);
        }
        if (File.Exists(full)) throw new OutputFileException(requested, "exists and is not a directory");
        if (Directory.Exists(full))
        {
            if (!overwrite && Directory.EnumerateFileSystemEntries(full).Any())
                throw new InvalidOptionException(option, $"'{requested}' is not empty; name a new or empty directory");
            var reused = new PreparedOutput(full, []);
            reused.RemoveLeftovers();
            return reused;
        }
        Create(full, requested);
        return new PreparedOutput(full, missing);
    }

    /// <summary><paramref name="full"/> and those of its parents that do not exist yet, innermost first.</summary>
    private static List<string> MissingDirectories(string full)
    {
        var missing = new List<string>();
        for (string? dir = full; dir is not null && !Directory.Exists(dir) && !File.Exists(dir); dir = Path.GetDirectoryName(dir))
            missing.Add(dir);
        return missing;
    }

    /// <summary>A new, empty directory under <paramref name="parent"/> named after the current local time.</summary>
    /// <exception cref="OutputFileException">It cannot be created.</exception>
    public static string CreateFresh(string parent = DefaultParent) => CreateFresh(parent, DateTime.Now);

    /// <summary>
    /// A new, empty directory <c>parent/yyyyMMdd-HHmmss</c> for <paramref name="time"/>; when that name exists
    /// already (even empty), <c>-2</c>, <c>-3</c> ... is appended. Returns its absolute path.
    /// </summary>
    /// <exception cref="OutputFileException">It cannot be created.</exception>
    public static string CreateFresh(string parent, DateTime time)
    {
        ArgumentNullException.ThrowIfNull(parent);
        string stamp = time.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string root = Path.GetFullPath(parent);
        if (File.Exists(root)) throw new OutputFileException(parent, "exists and is not a directory");
        for (int n = 1; ; n++)
        {
            string candidate = Path.Combine(root, n == 1 ? stamp : $"{stamp}-{n}");
            if (Directory.Exists(candidate) || File.Exists(candidate)) continue;
            Create(candidate, candidate);
            // Another run may have taken the same name between the check and the creation; only an empty one is ours.
            if (!Directory.EnumerateFileSystemEntries(candidate).Any()) return candidate;
        }
    }

    private static void Create(string fullPath, string shownPath)
    {
        try
        {
            Directory.CreateDirectory(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new OutputFileException(shownPath, "cannot create the directory: " + e.Message.ReplaceLineEndings(" "), e);
        }
    }
}
