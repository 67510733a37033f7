using System.Text.Json;
using Gaze.Datasets;
using Gaze.Errors;
using Gaze.IO;

namespace Gaze.Evaluation;

/// <summary>
/// Reads <c>boxes.json</c>, the ground truth of photos for <c>gaze evaluate</c>:
/// <code>
/// {"images": [{"file": "photos/cat.png", "class": 281, "boxes": [[x0, y0, x1, y1], ...]}, ...]}
/// </code>
/// <c>file</c> is relative to the boxes file's folder; <c>class</c> is a class index or a label (a whole label or one
/// of its comma-separated synonyms, any case) and may be left out when unknown; <c>boxes</c> are in the image's own
/// pixels, half-open (see <see cref="BoundingBox"/>), at least one. Everything is checked before anything is
/// evaluated: that each image exists, each box lies inside its image (whose size is read from the file's header)
/// and each class is one of the model's. Unknown fields are errors, so a misspelt field is not silently ignored.
/// </summary>
internal static class BoxesFile
{
    /// <summary>The images listed in the boxes file at <paramref name="path"/>, checked.</summary>
    /// <param name="path">The boxes file.</param>
    /// <param name="labels">The model's labels; null when it has none (classes must then be indices).</param>
    /// <exception cref="InputFileNotFoundException">The boxes file or a listed image does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not valid JSON, a field is missing or wrong, a box lies
    /// outside its image, a class is unknown or there are no images; the message names the file and the field.</exception>
    /// <exception cref="ImageDecodeException">A listed image is not a readable image.</exception>
    public static IReadOnlyList<ImageFileEntry> Read(string path, IReadOnlyList<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        if (SuppliedFile.Problem(path, SuppliedFile.MaxAnnotationsBytes, "a boxes file") is { } problem)
            throw new DataFormatException(path, problem);
        string text = SuppliedFile.ReadText(path, (problem, e) => new DataFormatException(path, problem, e));
        return HandWrittenJson.Read(text, (problem, e) => new DataFormatException(path, problem, e), new BoxesParser(path, labels).Read);
    }

    /// <summary>Walks the JSON tree; every error names the file and the field.</summary>
    private sealed class BoxesParser(string path, IReadOnlyList<string>? labels)
    {
        private readonly string directory = Path.GetDirectoryName(path) ?? "";
        private readonly JsonFields fields = new((field, problem) => new DataFormatException(path, $"{field}: {problem}"));
        // Each distinct class name is looked up once, not once per image.
        private readonly Dictionary<string, int> classByName = new(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<ImageFileEntry> Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("(top level)", "must be a JSON object");
            fields.RejectUnknown(root, "", "images");
            if (!root.TryGetProperty("images", out var imagesElement)) throw Error("images", "is missing");
            if (imagesElement.ValueKind != JsonValueKind.Array) throw Error("images", "must be an array");
            if (imagesElement.GetArrayLength() == 0) throw Error("images", "no images");
            var entries = new List<ImageFileEntry>(imagesElement.GetArrayLength());
            var files = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in imagesElement.EnumerateArray())
            {
                entries.Add(Image(element, $"images[{entries.Count}]", files));
            }
            return entries;
        }

        private ImageFileEntry Image(JsonElement element, string field, HashSet<string> files)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Error(field, "must be an object");
            fields.RejectUnknown(element, field + ".", "file", "class", "boxes");
            if (!element.TryGetProperty("file", out var fileElement)) throw Error($"{field}.file", "is missing");
            string file = fields.NonEmptyString(fileElement, $"{field}.file");
            int? classIndex = element.TryGetProperty("class", out var classElement) ? Class(classElement, $"{field}.class") : null;
            if (!element.TryGetProperty("boxes", out var boxesElement)) throw Error($"{field}.boxes", "is missing");
            var boxes = Boxes(boxesElement, $"{field}.boxes");

            string imagePath = Path.Combine(directory, file.Replace('/', Path.DirectorySeparatorChar));
            // One photo may hold objects of several classes: an entry per class, but not two for the same class.
            if (!files.Add($"{Path.GetFullPath(imagePath)}\n{classIndex}"))
                throw Error($"{field}.file", $"'{file}' is listed twice for the same class; put all its boxes in one entry");
            (int width, int height) = ImageHeader.SizeOf(imagePath);
            for (int i = 0; i < boxes.Count; i++)
            {
                if (boxes[i].X1 > width || boxes[i].Y1 > height)
                    throw Error($"{field}.boxes[{i}]", $"{boxes[i]} lies outside {file}, which is {width}x{height}");
            }
            return new ImageFileEntry(imagePath, classIndex, boxes, null);
        }

        private int? Class(JsonElement element, string field)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.Number:
                    if (!element.TryGetInt32(out int index) || index < 0) throw Error(field, "must be a class index (0, 1, ...) or a label");
                    if (labels is not null && LabelLookup.IndexProblem(index, labels) is { } outside) throw Error(field, outside);
                    return index;
                case JsonValueKind.String:
                    string name = fields.NonEmptyString(element, field);
                    if (labels is null) throw Error(field, $"'{name}' is a label, but the model has no labels; give the class index");
                    if (classByName.TryGetValue(name, out int known)) return known;
                    int found = LabelLookup.Find(name, labels, out string problem) ?? throw Error(field, problem);
                    classByName[name] = found;
                    return found;
                default:
                    throw Error(field, "must be a class index (0, 1, ...) or a label");
            }
        }

        private List<BoundingBox> Boxes(JsonElement element, string field)
        {
            if (element.ValueKind != JsonValueKind.Array) throw Error(field, "must be an array of [x0, y0, x1, y1] boxes");
            if (element.GetArrayLength() == 0) throw Error(field, "is empty; an image needs at least one box");
            var boxes = new List<BoundingBox>(element.GetArrayLength());
            foreach (var item in element.EnumerateArray()) boxes.Add(fields.Box(item, $"{field}[{boxes.Count}]"));
            return boxes;
        }

        private DataFormatException Error(string field, string problem) => new(path, $"{field}: {problem}");
    }
}
