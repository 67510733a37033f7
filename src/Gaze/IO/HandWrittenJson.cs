using System.Text.Json;

namespace Gaze.IO;

/// <summary>
/// The JSON files people write by hand for Gaze (model sidecars, shapes annotations, boxes files): comments and
/// trailing commas are allowed, and a syntax error becomes the caller's own file error with its line and column.
/// </summary>
internal static class HandWrittenJson
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Parses <paramref name="json"/> and returns what <paramref name="read"/> makes of its root.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="invalid">The exception for a syntax error, given its one-line description (<see cref="JsonErrorText.NotValid"/>).</param>
    /// <param name="read">Reads the root element; the document is disposed afterwards.</param>
    public static T Read<T>(string json, Func<string, JsonException, Exception> invalid, Func<JsonElement, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw invalid(JsonErrorText.NotValid(e), e);
        }
        using (document)
        {
            return read(document.RootElement);
        }
    }
}
