namespace Gaze.Tests.Support;

/// <summary>Files committed in the repository (such as assets/), found by walking up to Gaze.sln.</summary>
public static class RepositoryFiles
{
    /// <summary>Absolute path of <paramref name="relative"/> under the repository root; fails if it is missing.</summary>
    public static string Require(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Gaze.sln"))) continue;
            string path = Path.Combine(dir.FullName, relative);
            if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"repository file missing: {path}", path);
            return path;
        }
        throw new InvalidOperationException("the repository root (Gaze.sln) was not found above the test binaries");
    }
}
