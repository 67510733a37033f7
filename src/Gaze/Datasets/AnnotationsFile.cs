using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gaze.Errors;
using Gaze.IO;

namespace Gaze.Datasets;

/// <summary>
/// Reads and writes <c>annotations.json</c>, the answer sheet of a generated data set:
/// <code>
/// {
///   "classes": ["circle", "cross", ...],
///   "images": [
///     {"file": "circle/0000.png", "class": "circle", "box": [x0, y0, x1, y1], "mask": "masks/0000.png"},
///     ...
///   ]
/// }
/// </code>
/// Paths are relative to the file's directory with <c>/</c> separators. Boxes are in pixels and half-open:
/// <c>x0</c>, <c>y0</c> inclusive, <c>x1</c>, <c>y1</c> exclusive (see <see cref="BoundingBox"/>). <c>"mask"</c> is
/// optional. Unknown fields are errors, so that a misspelt field is not silently ignored.
/// </summary>
public static class AnnotationsFile
{
    /// <summary>The file's name inside a data set directory.</summary>
    public const string FileName = "annotations.json";

    // Class names and paths are written as they are (no \uXXXX for non-ASCII); the file is never embedded in HTML.
    private static readonly JsonSerializerOptions StringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Reads the annotations at <paramref name="path"/>: the file itself or a directory holding
    /// <see cref="FileName"/>. Relative paths in it resolve against the file's directory.
    /// </summary>
    /// <exception cref="InputFileNotFoundException">There is no such file.</exception>
    /// <exception cref="AnnotationsFormatException">The file cannot be read, is not valid JSON or a field is wrong; the message names the field.</exception>
    public static AnnotationSet Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (System.IO.Directory.Exists(path)) path = Path.Combine(path, FileName);
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        if (IO.SuppliedFile.Problem(path, IO.SuppliedFile.MaxAnnotationsBytes, "an annotations file") is { } problem)
            throw new AnnotationsFormatException(path, problem);
        string text = IO.SuppliedFile.ReadText(path, (problem, e) => new AnnotationsFormatException(path, problem, e));
        return Parse(text, path);
    }

    /// <summary>Parses annotations <paramref name="json"/>; <paramref name="path"/> names it in errors and gives the directory paths start from.</summary>
    /// <exception cref="AnnotationsFormatException">Not valid JSON or a field is wrong.</exception>
    public static AnnotationSet Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        return HandWrittenJson.Read(json, (problem, e) => new AnnotationsFormatException(path, problem, e),
            root => new AnnotationsParser(path).Read(root, Path.GetDirectoryName(Path.GetFullPath(path)) ?? "."));
    }

    /// <summary>Writes <paramref name="annotations"/> to <paramref name="path"/> atomically, one image per line.</summary>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void Write(string path, AnnotationSet annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        byte[] bytes = Encoding.UTF8.GetBytes(Format(annotations));
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The JSON text of <paramref name="annotations"/>, as <see cref="Write"/> writes it.</summary>
    public static string Format(AnnotationSet annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var text = new StringBuilder();
        text.Append("{\n  \"classes\": [").AppendJoin(", ", annotations.Classes.Select(Quote)).Append("],\n");
        text.Append("  \"images\": [");
        for (int i = 0; i < annotations.Images.Count; i++)
        {
            var image = annotations.Images[i];
            var box = image.Box;
            text.Append(i == 0 ? "\n" : ",\n");
            text.Append($"    {{\"file\": {Quote(image.File)}, \"class\": {Quote(image.ClassName)}, ");
            text.Append(CultureInfo.InvariantCulture, $"\"box\": [{box.X0}, {box.Y0}, {box.X1}, {box.Y1}]");
            if (image.Mask is not null) text.Append($", \"mask\": {Quote(image.Mask)}");
            text.Append('}');
        }
        text.Append(annotations.Images.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return text.ToString();
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, StringOptions);

    /// <summary>Walks the JSON tree; every error names the file and the field.</summary>
    private sealed class AnnotationsParser(string path)
    {
        private readonly JsonFields fields = new((field, problem) => new AnnotationsFormatException(path, $"{field}: {problem}"));

        public AnnotationSet Read(JsonElement root, string directory)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("(top level)", "must be a JSON object");
            fields.RejectUnknown(root, "", "classes", "images");
            if (!root.TryGetProperty("classes", out var classesElement)) throw Error("classes", "is missing");
            if (!root.TryGetProperty("images", out var imagesElement)) throw Error("images", "is missing");

            var classes = Classes(classesElement);
            var known = new HashSet<string>(classes, StringComparer.Ordinal);
            if (imagesElement.ValueKind != JsonValueKind.Array) throw Error("images", "must be an array");
            if (imagesElement.GetArrayLength() == 0) throw Error("images", "is empty");
            var images = new List<ImageAnnotation>(imagesElement.GetArrayLength());
            var files = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in imagesElement.EnumerateArray())
            {
                var image = Image(element, $"images[{images.Count}]", known);
                if (!files.Add(image.File)) throw Error($"images[{images.Count}].file", $"'{image.File}' is listed twice");
                images.Add(image);
            }
            return new AnnotationSet(classes, images, directory);
        }

        private List<string> Classes(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Array) throw Error("classes", "must be an array of class names");
            if (element.GetArrayLength() == 0) throw Error("classes", "is empty");
            var classes = new List<string>();
            foreach (var item in element.EnumerateArray())
            {
                string name = fields.NonEmptyString(item, $"classes[{classes.Count}]");
                if (classes.Contains(name)) throw Error($"classes[{classes.Count}]", $"'{name}' is listed twice");
                classes.Add(name);
            }
            return classes;
        }

        private ImageAnnotation Image(JsonElement element, string field, HashSet<string> classes)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Error(field, "must be an object");
            fields.RejectUnknown(element, field + ".", "file", "class", "box", "mask");
            string file = Required(element, "file", field, fields.NonEmptyString);
            string className = Required(element, "class", field, fields.NonEmptyString);
            if (!classes.Contains(className)) throw Error($"{field}.class", $"'{className}' is not one of the classes");
            var box = Required(element, "box", field, fields.Box);
            string? mask = element.TryGetProperty("mask", out var maskElement) ? fields.NonEmptyString(maskElement, $"{field}.mask") : null;
            return new ImageAnnotation(file, className, box, mask);
        }

        private T Required<T>(JsonElement parent, string name, string field, Func<JsonElement, string, T> read) =>
            parent.TryGetProperty(name, out var value) ? read(value, $"{field}.{name}") : throw Error($"{field}.{name}", "is missing");

        private AnnotationsFormatException Error(string field, string problem) => new(path, $"{field}: {problem}");
    }
}
