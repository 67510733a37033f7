using System.Text.Json;
using Gaze.IO;

namespace Gaze.Models;

/// <summary>Writes a <c>.gaze.json</c> sidecar in the format <see cref="ModelMetadataReader"/> reads.</summary>
public static class ModelMetadataWriter
{
    /// <summary>The sidecar's JSON text for <paramref name="metadata"/> (labels inline).</summary>
    public static string ToJson(ModelMetadata metadata)
    {
        var root = new Dictionary<string, object>();
        if (metadata.Name is not null) root["name"] = metadata.Name;
        if (metadata.Input is { } input)
        {
            root["input"] = new Dictionary<string, object>
            {
                ["size"] = new[] { input.Size.Height, input.Size.Width },
                ["layout"] = input.Layout.ToString(),
                ["channels"] = input.Channels.ToString(),
                ["range"] = input.Range,
                ["mean"] = input.Mean,
                ["std"] = input.Std,
                ["resize"] = input.Resize == ResizeMode.Stretch ? "stretch" : "center-crop",
            };
        }
        if (metadata.Labels is not null) root["labels"] = metadata.Labels;
        if (metadata.CamLayer is not null) root["layers"] = new Dictionary<string, object> { ["cam"] = metadata.CamLayer };
        return JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes the sidecar of the model at <paramref name="modelPath"/> (atomically) and returns its path.</summary>
    public static string WriteFor(string modelPath, ModelMetadata metadata)
    {
        string path = ModelMetadataReader.SidecarPathFor(modelPath);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(ToJson(metadata)));
        return path;
    }
}
