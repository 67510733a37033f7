using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gaze.Errors;
using Gaze.IO;

namespace Gaze.Reporting;

/// <summary>Reads and writes <c>results.json</c> (see <see cref="ResultsDocument"/> for the schema).</summary>
public static class ResultsJson
{
    /// <summary>
    /// The serializer settings: indented, property names as the records declare them, labels kept readable, and
    /// non-finite numbers as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The document as JSON text.</summary>
    public static string Serialize(ResultsDocument results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return JsonSerializer.Serialize(results, Options);
    }

    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/> as UTF-8 JSON, atomically.</summary>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void Write(string path, ResultsDocument results)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Serialize(results) + "\n");
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Reads a <c>results.json</c> file.</summary>
    /// <exception cref="InputFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">It is not valid JSON or lacks required fields.</exception>
    public static ResultsDocument Read(string path)
    {
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ResultsDocument>(stream, Options)
                ?? throw new DataFormatException(path, "the JSON document is null");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, "not a Gaze results file: " + e.Message.ReplaceLineEndings(" "), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "cannot read: " + e.Message.ReplaceLineEndings(" "), e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            // The file is read by people and by JSON parsers, never pasted into HTML: keep "gradcam++" and non-ASCII labels as they are.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            // A model with NaN or infinite outputs must not crash the writer: such numbers become "NaN", "Infinity", "-Infinity".
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
