using System.Text.Json;

namespace Gaze.IO;

/// <summary>One-line descriptions of JSON syntax errors for the file errors Gaze reports.</summary>
internal static class JsonErrorText
{
    /// <summary>"not valid JSON at line L, column C" (1-based), or without the position when it is unknown.</summary>
    public static string NotValid(JsonException error) =>
        error.LineNumber is long line
            ? $"not valid JSON at line {line + 1}, column {(error.BytePositionInLine ?? 0) + 1}"
            : "not valid JSON";
}
