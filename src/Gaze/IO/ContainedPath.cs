namespace Gaze.IO;

/// <summary>
/// Paths that a model or its sidecar names (external weight data, a labels file) resolve inside the folder of the
/// file that names them: no absolute paths, no <c>..</c> leaving the folder, and no symbolic link whose target lies
/// outside it. A downloaded model must not be able to read any other file of the machine through Gaze.
/// </summary>
public static class ContainedPath
{
    /// <summary>
    /// <paramref name="relative"/> resolved against the folder of <paramref name="namingFile"/>, or null with the
    /// reason in <paramref name="problem"/> when it would leave that folder.
    /// </summary>
    public static string? TryResolve(string namingFile, string relative, out string? problem)
    {
        problem = null;
        if (Path.IsPathRooted(relative))
        {
            problem = "is an absolute path; it must name a file in the model's folder";
            return null;
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(namingFile)) ?? Path.GetFullPath(".");
        string path = Path.GetFullPath(Path.Combine(folder, relative));
        if (!IsInside(path, folder))
        {
            problem = "leaves the model's folder";
            return null;
        }
        // A link, or a folder on the way that is one, may point anywhere: compare where it really leads.
        string real = RealPath(path);
        if (!IsInside(real, RealPath(folder)))
        {
            problem = $"is a link to {real}, outside the model's folder";
            return null;
        }
        return path;
    }

    private static bool IsInside(string path, string folder)
    {
        string prefix = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The path with every symbolic link in it followed (as far as the path exists).</summary>
    private static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string? parent = Path.GetDirectoryName(full);
        string resolvedParent = parent is null || parent == full ? full : RealPath(parent);
        string candidate = parent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
        FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
        if (info.LinkTarget is null) return candidate;
        FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? candidate : RealPath(target.FullName);
    }
}
