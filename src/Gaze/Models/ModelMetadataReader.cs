using System.Text.Json;
using Gaze.Errors;
using Gaze.IO;

namespace Gaze.Models;

/// <summary>
/// Reads the <c>.gaze.json</c> sidecar beside a model (<c>foo.onnx</c> -> <c>foo.gaze.json</c>):
/// <code>
/// {
///   "name": "display name",
///   "input": { "preset": "keras-tf" (optional, see InputPresets; the fields below override it),
///              "size": [224, 224], "layout": "NCHW", "channels": "RGB", "range": 1,
///              "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "resize": "center-crop" },
///   "labels": "labels.txt" (relative to the sidecar, one per line) or ["cat", "dog", ...],
///   "layers": { "cam": "tensor name" }
/// }
/// </code>
/// All fields are optional. Unknown fields are errors, so that a misspelt field is not silently ignored.
/// </summary>
public static class ModelMetadataReader
{
    /// <summary>The sidecar path for <paramref name="modelPath"/>: its extension replaced by <c>.gaze.json</c>.</summary>
    public static string SidecarPathFor(string modelPath) => Path.ChangeExtension(modelPath, ".gaze.json");

    /// <summary>The metadata of the model at <paramref name="modelPath"/>; <see cref="ModelMetadata.None"/> without a sidecar.</summary>
    /// <exception cref="ModelFormatException">The sidecar exists but is malformed; the message names it and the field.</exception>
    public static ModelMetadata ReadFor(string modelPath)
    {
        string sidecar = SidecarPathFor(modelPath);
        return File.Exists(sidecar) ? Read(sidecar) : ModelMetadata.None;
    }

    /// <summary>Reads the sidecar at <paramref name="sidecarPath"/>.</summary>
    /// <exception cref="InputFileNotFoundException">There is no such file.</exception>
    /// <exception cref="ModelFormatException">The file is not valid JSON or a field has a bad value; the message names the field.</exception>
    public static ModelMetadata Read(string sidecarPath)
    {
        // A pipe would block and a device never end: refused before they are opened, as is a sidecar too large to be one.
        if (SuppliedFile.Problem(sidecarPath, SuppliedFile.MaxSidecarBytes, "a sidecar file") is { } problem)
            throw new ModelFormatException(sidecarPath, problem);
        if (!File.Exists(sidecarPath)) throw new InputFileNotFoundException(sidecarPath);
        string text = SuppliedFile.ReadText(sidecarPath, (problem, e) => new ModelFormatException(sidecarPath, problem, e));
        return Parse(text, sidecarPath);
    }

    /// <summary>Parses sidecar <paramref name="json"/>; <paramref name="sidecarPath"/> names it in errors and anchors a relative labels path.</summary>
    /// <exception cref="ModelFormatException">Not valid JSON or a field has a bad value.</exception>
    public static ModelMetadata Parse(string json, string sidecarPath)
    {
        return HandWrittenJson.Read(json, (problem, e) => new ModelFormatException(sidecarPath, problem, e), new SidecarParser(sidecarPath).Read);
    }

    /// <summary>Walks the JSON tree; every error names the sidecar and the field's dotted path.</summary>
    private sealed class SidecarParser(string sidecarPath)
    {
        public ModelMetadata Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("(top level)", "must be a JSON object");
            RejectUnknown(root, "", "name", "input", "labels", "layers");
            var metadata = new ModelMetadata { SidecarPath = sidecarPath };
            if (root.TryGetProperty("name", out var name)) metadata = metadata with { Name = String(name, "name") };
            if (root.TryGetProperty("input", out var input))
            {
                var (convention, parts, preset) = Input(input);
                metadata = metadata with { Input = convention, InputParts = parts, InputPreset = preset };
            }
            if (root.TryGetProperty("labels", out var labels)) metadata = metadata with { Labels = Labels(labels) };
            if (root.TryGetProperty("layers", out var layers))
            {
                if (layers.ValueKind != JsonValueKind.Object) throw Error("layers", "must be an object");
                RejectUnknown(layers, "layers.", "cam");
                if (layers.TryGetProperty("cam", out var cam)) metadata = metadata with { CamLayer = String(cam, "layers.cam") };
            }
            return metadata;
        }

        private (ModelInput Input, InputParts Parts, string? Preset) Input(JsonElement input)
        {
            if (input.ValueKind != JsonValueKind.Object) throw Error("input", "must be an object");
            RejectUnknown(input, "input.", "preset", "size", "layout", "channels", "range", "mean", "std", "resize");
            var result = ModelInput.Default;
            var parts = InputParts.None;
            string? preset = null;
            if (input.TryGetProperty("preset", out var presetName))
            {
                preset = InputPresets.Find(String(presetName, "input.preset"))
                    ?? throw Error("input.preset", $"must be {InputPresets.NameList}, got '{presetName.GetString()}'");
                result = InputPresets.Apply(preset, result);
                parts |= InputParts.Preset;
            }
            foreach (var (name, part) in new[] { ("size", InputParts.Size), ("layout", InputParts.Layout), ("channels", InputParts.Channels),
                ("range", InputParts.Normalisation), ("mean", InputParts.Normalisation), ("std", InputParts.Normalisation), ("resize", InputParts.Resize) })
            {
                if (input.TryGetProperty(name, out _)) parts |= part;
            }
            if (input.TryGetProperty("size", out var size)) result = result with { Size = Size(size) };
            if (input.TryGetProperty("layout", out var layout))
            {
                if (!ModelInputNames.TryParseLayout(String(layout, "input.layout"), out var value))
                    throw Error("input.layout", $"must be {ModelInputNames.Layouts}, got '{layout.GetString()}'");
                result = result with { Layout = value };
            }
            if (input.TryGetProperty("channels", out var channels))
            {
                if (!ModelInputNames.TryParseChannels(String(channels, "input.channels"), out var value))
                    throw Error("input.channels", $"must be {ModelInputNames.ChannelOrders}, got '{channels.GetString()}'");
                result = result with { Channels = value };
            }
            // ImageNet's three means and stds do not fit one gray channel: gray without them means plain 0..range.
            if (result.Channels == ChannelOrder.GRAY && preset is null) result = result with { Mean = [0], Std = [1] };
            if (result.Channels == ChannelOrder.GRAY) parts |= InputParts.Normalisation;
            if (input.TryGetProperty("range", out var range)) result = result with { Range = Number(range, "input.range") };
            if (input.TryGetProperty("mean", out var mean)) result = result with { Mean = Numbers(mean, "input.mean") };
            if (input.TryGetProperty("std", out var std)) result = result with { Std = Numbers(std, "input.std") };
            if (input.TryGetProperty("resize", out var resize))
            {
                if (!ModelInputNames.TryParseResize(String(resize, "input.resize"), out var value))
                    throw Error("input.resize", $"must be {ModelInputNames.ResizeModes}, got '{resize.GetString()}'");
                result = result with { Resize = value };
            }
            if (result.FindProblem() is var (field, problem)) throw Error("input." + field, problem);
            return (result, parts, preset);
        }

        private InputSize Size(JsonElement size)
        {
            if (size.ValueKind == JsonValueKind.Array && size.GetArrayLength() == 2
                && size[0].TryGetInt32(out int height) && size[1].TryGetInt32(out int width))
                return new InputSize(height, width);
            throw Error("input.size", $"must be [height, width] in whole pixels, got {Show(size)}");
        }

        private IReadOnlyList<string> Labels(JsonElement labels)
        {
            if (labels.ValueKind == JsonValueKind.String) return LabelsFile(labels.GetString()!);
            if (labels.ValueKind != JsonValueKind.Array)
                throw Error("labels", "must be a file name or an array of strings");
            var list = new List<string>();
            foreach (var item in labels.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) throw Error("labels", $"item {list.Count} is not a string");
                list.Add(item.GetString()!);
            }
            if (list.Count == 0) throw Error("labels", "the array is empty");
            return list.AsReadOnly();
        }

        private IReadOnlyList<string> LabelsFile(string relative)
        {
            if (relative.Length == 0) throw Error("labels", "the file name is empty");
            string path = ContainedPath.TryResolve(sidecarPath, relative, out string? problem)
                ?? throw Error("labels", $"'{relative}' {problem}");
            if (!File.Exists(path)) throw Error("labels", $"no such file {path}");
            if (SuppliedFile.Problem(path, SuppliedFile.MaxLabelsBytes, "a labels file") is { } unusable)
                throw Error("labels", $"{path} {unusable}");
            List<string> lines;
            try
            {
                lines = [.. File.ReadAllLines(path)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Error("labels", $"cannot read {path}: {e.Message}");
            }
            // A final newline (or several) does not make empty labels.
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            if (lines.Count == 0) throw Error("labels", $"{path} has no labels");
            return lines.AsReadOnly();
        }

        private string String(JsonElement element, string field) =>
            element.ValueKind == JsonValueKind.String
                ? element.GetString()!
                : throw Error(field, $"must be a string, got {Show(element)}");

        private double Number(JsonElement element, string field) =>
            element.ValueKind == JsonValueKind.Number
                ? element.GetDouble()
                : throw Error(field, $"must be a number, got {Show(element)}");

        // One number stands for a one-element list.
        private double[] Numbers(JsonElement element, string field)
        {
            if (element.ValueKind == JsonValueKind.Number) return [element.GetDouble()];
            if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0
                || element.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Number))
                throw Error(field, $"must be an array of numbers, got {Show(element)}");
            return element.EnumerateArray().Select(item => item.GetDouble()).ToArray();
        }

        // A short one-line rendering of a JSON value for messages.
        private static string Show(JsonElement element)
        {
            string text = string.Join(' ', element.GetRawText().Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
            return text.Length <= 40 ? text : text[..37] + "...";
        }

        private void RejectUnknown(JsonElement obj, string prefix, params string[] known)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                    throw Error(prefix + property.Name, $"unknown field (known: {string.Join(", ", known)})");
            }
        }

        private ModelFormatException Error(string field, string problem) => new(sidecarPath, $"{field}: {problem}");
    }
}
