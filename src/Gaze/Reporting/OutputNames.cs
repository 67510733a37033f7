using System.Text;

namespace Gaze.Reporting;

/// <summary>
/// File and folder names inside an output directory: safe on Linux, macOS and Windows, deterministic, and unique
/// even on case-insensitive file systems.
/// </summary>
internal sealed class OutputNames
{
    /// <summary>Longest name segment kept from user input, so that paths stay well under every OS limit.</summary>
    internal const int MaxSegmentLength = 80;

    // Windows refuses these as file names whatever the extension; the run's own files must not be shadowed by a folder.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        ExplanationWriter.ResultsFileName, ExplanationWriter.ReportFileName,
    };

    private readonly HashSet<string> taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="preferred"/> made safe (see <see cref="Safe"/>), or with <c>-2</c>, <c>-3</c> ... appended
    /// when an earlier call already returned it (compared case-insensitively).
    /// </summary>
    public string Claim(string preferred)
    {
        string name = Safe(preferred);
        if (taken.Add(name)) return name;
        for (int n = 2; ; n++)
        {
            string candidate = $"{name}-{n}";
            if (taken.Add(candidate)) return candidate;
        }
    }

    /// <summary>
    /// A single path segment made from <paramref name="text"/>: letters, digits, <c>- _ . +</c> kept, anything else
    /// (separators, spaces, quotes, <c>&lt; &gt; &amp;</c>, control characters) replaced by <c>_</c>; no leading or
    /// trailing dots and spaces; at most <see cref="MaxSegmentLength"/> characters; <c>image</c> if nothing is left;
    /// Windows device names and the run's own file names get a leading <c>_</c>.
    /// </summary>
    public static string Safe(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxSegmentLength));
        foreach (char c in text)
        {
            if (builder.Length == MaxSegmentLength) break;
            builder.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '+' ? c : '_');
        }
        string name = builder.ToString().Trim('.', ' ');
        if (name.Length == 0) return "image";
        // Windows reserves device names with any extension ("nul.txt"), so the mark goes in front.
        if (Reserved.Contains(name) || Reserved.Contains(name.Split('.')[0])) name = "_" + name;
        return name;
    }

    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="directory"/>, with forward slashes (both made absolute
    /// first). A path on another drive stays absolute, as it must.
    /// </summary>
    public static string Relative(string directory, string path) =>
        Path.GetRelativePath(Path.GetFullPath(directory), Path.GetFullPath(path)).Replace('\\', '/');
}
