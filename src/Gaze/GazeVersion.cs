using System.Reflection;

namespace Gaze;

/// <summary>The version of the Gaze library, as written into results and reports.</summary>
public static class GazeVersion
{
    /// <summary>The informational version without build metadata, e.g. <c>0.1.0</c>.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var assembly = typeof(GazeVersion).Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // "0.1.0+commit" carries the source revision; results name the release only.
        return version?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
    }
}
