using System.Text;
using System.Text.Json;
using Gaze.Imaging;
using Gaze.IO;
using Gaze.Rendering;

namespace Gaze.Reporting;

/// <summary>The pictures a synthesis command saves: the result, optionally intermediate steps and a difference image.</summary>
/// <param name="Result">The main picture (<c>result.png</c>).</param>
/// <param name="Steps">Intermediate pictures for <c>steps.png</c>; none for no contact sheet.</param>
/// <param name="Difference">The magnified change for <c>difference.png</c>, or null.</param>
public sealed record SynthesisPictures(RgbImage Result, IReadOnlyList<RgbImage> Steps, RgbImage? Difference = null);

/// <summary>
/// Writes what the synthesis commands (fool, visualize, invert, style, dream) make into their output folder:
/// <c>result.png</c>, <c>steps.png</c>, <c>difference.png</c>, <c>trace.png</c> (the measure per step) and
/// <c>result.json</c>. Every file is written to a temporary name and renamed. The prediction in <c>result.json</c> is
/// that of <c>result.png</c> as read back from disk, so it is what any later reader of the file will get.
/// </summary>
public static class SynthesisWriter
{
    /// <summary>The main picture's file name.</summary>
    public const string ResultFile = "result.png";

    /// <summary>How the documents are written: as <c>results.json</c>, with records' properties in snake_case.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(ResultsJson.Options) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The document's file name.</summary>
    public const string DocumentFile = "result.json";

    /// <summary>
    /// Writes the files into <paramref name="directory"/> and returns the document written to <c>result.json</c>:
    /// <paramref name="fields"/> first, then <c>trace</c> (with <c>measure</c>), <c>prediction</c> and <c>files</c>.
    /// </summary>
    /// <param name="directory">An existing folder.</param>
    /// <param name="pictures">What to save.</param>
    /// <param name="measure">What <paramref name="trace"/> holds.</param>
    /// <param name="trace">One value per step.</param>
    /// <param name="fields">Settings and results of the command, in order.</param>
    /// <param name="classify">The model's top classes for a picture (called on <c>result.png</c> read back).</param>
    /// <exception cref="Errors.OutputFileException">A file cannot be written.</exception>
    public static IReadOnlyDictionary<string, object?> Write(string directory, SynthesisPictures pictures, string measure, IReadOnlyList<double> trace,
        IEnumerable<KeyValuePair<string, object?>> fields, Func<RgbImage, object> classify)
    {
        var files = new List<string> { ResultFile };
        string resultPath = Path.Combine(directory, ResultFile);
        ImageEncoder.Write(resultPath, pictures.Result);
        if (pictures.Steps.Count > 0)
        {
            ImageEncoder.Write(Path.Combine(directory, "steps.png"), ContactSheet.Of(pictures.Steps));
            files.Add("steps.png");
        }
        if (pictures.Difference is { } difference)
        {
            ImageEncoder.Write(Path.Combine(directory, "difference.png"), difference);
            files.Add("difference.png");
        }
        if (trace.Count > 1)
        {
            AtomicFile.WriteAllBytes(Path.Combine(directory, "trace.png"), TracePlot.Png(trace, measure, $"{measure} per step"));
            files.Add("trace.png");
        }
        files.Add(DocumentFile);
        var document = new Dictionary<string, object?>(fields)
        {
            ["measure"] = measure,
            ["trace"] = trace.Select(v => Math.Round(v, 6)).ToArray(),
            ["prediction"] = classify(ImageDecoder.Load(resultPath)),
            ["files"] = files,
        };
        byte[] bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document, JsonOptions) + "\n");
        AtomicFile.WriteAllBytes(Path.Combine(directory, DocumentFile), bytes);
        return document;
    }
}
