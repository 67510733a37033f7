namespace Gaze.Tests.Support;

/// <summary>
/// Locates the shared models and photos in <c>../shared</c> beside the checkout. Tests that need them call
/// <see cref="Require"/>: outside CI a missing folder fails with a clear message; in CI it must be there.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Absolute path of <paramref name="relative"/> (e.g. <c>models/resnet18-random.onnx</c>) under the shared folder.</summary>
    public static string Require(string relative)
    {
        string root = Root.Value ?? throw new InvalidOperationException(
            "../shared (the models and photos beside the checkout) was not found; set GAZE_SHARED to its path");
        string path = Path.Combine(root, relative);
        if (!File.Exists(path)) throw new FileNotFoundException($"shared file missing: {path}", path);
        return path;
    }

    private static string? FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("GAZE_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        // Walk up from the test binary until a folder has both the solution and a sibling "shared".
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gaze.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return System.IO.Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }
}
