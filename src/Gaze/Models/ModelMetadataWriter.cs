using System.Text.Json;
using Gaze.IO;

namespace Gaze.Models;

/// <summary>
/// Writes a <c>.gaze.json</c> sidecar in the format <see cref="ModelMetadataReader"/> reads: <c>name</c>, the full
/// <c>input</c> convention, <c>labels</c> as an inline array and <c>layers.cam</c>; fields that are null are left out.
/// </summary>
public static class ModelMetadataWriter
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>The sidecar text for <paramref name="metadata"/> (its <see cref="ModelMetadata.SidecarPath"/> is not written).</summary>
    public static string ToJson(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            if (metadata.Name is { } name) json.WriteString("name", name);
            if (metadata.Input is { } input)
            {
                json.WriteStartObject("input");
                json.WriteStartArray("size");
                json.WriteNumberValue(input.Size.Height);
                json.WriteNumberValue(input.Size.Width);
                json.WriteEndArray();
                json.WriteString("layout", ModelInputNames.Name(input.Layout));
                json.WriteString("channels", ModelInputNames.Name(input.Channels));
                json.WriteNumber("range", input.Range);
                WriteNumbers(json, "mean", input.Mean);
                WriteNumbers(json, "std", input.Std);
                json.WriteString("resize", ModelInputNames.Name(input.Resize));
                json.WriteEndObject();
            }
            if (metadata.Labels is { } labels)
            {
                json.WriteStartArray("labels");
                foreach (string label in labels) json.WriteStringValue(label);
                json.WriteEndArray();
            }
            if (metadata.CamLayer is { } cam)
            {
                json.WriteStartObject("layers");
                json.WriteString("cam", cam);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes the sidecar of the model at <paramref name="modelPath"/> (<see cref="ModelMetadataReader.SidecarPathFor"/>) atomically.</summary>
    /// <returns>The sidecar's path.</returns>
    /// <exception cref="Errors.OutputFileException">The file cannot be written.</exception>
    public static string WriteFor(string modelPath, ModelMetadata metadata)
    {
        string path = ModelMetadataReader.SidecarPathFor(modelPath);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(ToJson(metadata)));
        return path;
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (double value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }
}
