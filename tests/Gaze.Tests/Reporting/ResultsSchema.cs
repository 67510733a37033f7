using System.Text.Json;

namespace Gaze.Tests.Reporting;

/// <summary>
/// A hand-written check of the <c>results.json</c> schema of issue 4: every required field present with the right
/// JSON type. Extra fields are allowed. Returns the problems found, each naming its JSON path.
/// </summary>
internal static class ResultsSchema
{
    public static IReadOnlyList<string> Problems(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Problems(document.RootElement);
    }

    public static IReadOnlyList<string> Problems(JsonElement root)
    {
        var check = new Checker();
        if (!check.Is(root, "$", JsonValueKind.Object)) return check.Found;

        check.Field(root, "$", "gaze", Kind.String);
        if (check.Field(root, "$", "model", Kind.Object) is { } model)
        {
            check.Field(model, "$.model", "path", Kind.String);
            check.Field(model, "$.model", "name", Kind.String);
            if (check.Field(model, "$.model", "input", Kind.Object) is { } input)
            {
                const string at = "$.model.input";
                if (check.Field(input, at, "size", Kind.Array) is { } size)
                {
                    check.Items(size, at + ".size", Kind.Integer);
                    if (size.GetArrayLength() != 2) check.Problem($"{at}.size: expected [height, width], got {size.GetArrayLength()} values");
                }
                check.Field(input, at, "layout", Kind.String);
                check.Field(input, at, "channels", Kind.String);
                check.Field(input, at, "range", Kind.Number);
                if (check.Field(input, at, "mean", Kind.Array) is { } mean) check.Items(mean, at + ".mean", Kind.Number);
                if (check.Field(input, at, "std", Kind.Array) is { } std) check.Items(std, at + ".std", Kind.Number);
                check.Field(input, at, "resize", Kind.String);
                if (check.Field(input, at, "sources", Kind.Object) is { } sources)
                {
                    foreach (string part in new[] { "size", "layout", "channels", "normalisation", "resize" })
                    {
                        if (check.Field(sources, at + ".sources", part, Kind.String) is { } source
                            && source.GetString() is not ("default" or "graph" or "sidecar" or "option"))
                            check.Problem($"{at}.sources.{part}: expected default, graph, sidecar or option, got '{source.GetString()}'");
                    }
                }
            }
        }

        check.Field(root, "$", "complete", Kind.Boolean);
        check.Field(root, "$", "images_left", Kind.Integer);

        if (check.Field(root, "$", "settings", Kind.Object) is { } settings)
        {
            const string at = "$.settings";
            if (check.Field(settings, at, "methods", Kind.Array) is { } methods) check.Items(methods, at + ".methods", Kind.String);
            check.Field(settings, at, "target", Kind.String);
            check.Field(settings, at, "colormap", Kind.String);
            check.Field(settings, at, "opacity", Kind.Number);
            check.Field(settings, at, "aug_smooth", Kind.Boolean);
            check.Field(settings, at, "eigen_smooth", Kind.Boolean);
            check.Field(settings, at, "threads", Kind.Integer);
        }

        if (check.Field(root, "$", "images", Kind.Array) is { } images)
        {
            int i = 0;
            foreach (var image in images.EnumerateArray())
            {
                CheckImage(check, image, $"$.images[{i++}]");
            }
        }
        return check.Found;
    }

    /// <summary>Every file path the document names, as written (model, images, and each explanation's files).</summary>
    public static IEnumerable<string> Paths(JsonElement root)
    {
        yield return root.GetProperty("model").GetProperty("path").GetString()!;
        foreach (var image in root.GetProperty("images").EnumerateArray())
        {
            yield return image.GetProperty("path").GetString()!;
            foreach (var explanation in image.GetProperty("explanations").EnumerateArray())
            {
                yield return explanation.GetProperty("heatmap").GetString()!;
                if (explanation.GetProperty("raw").ValueKind == JsonValueKind.String) yield return explanation.GetProperty("raw").GetString()!;
                yield return explanation.GetProperty("overlay").GetString()!;
            }
        }
    }

    private static void CheckImage(Checker check, JsonElement image, string at)
    {
        if (!check.Is(image, at, JsonValueKind.Object)) return;
        bool failed = image.TryGetProperty("error", out var error);
        if (failed) check.Is(error, at + ".error", JsonValueKind.String);
        check.Field(image, at, "path", Kind.String);
        // A image that could not be decoded has no size.
        check.Field(image, at, "width", failed ? Kind.IntegerOrNull : Kind.Integer);
        check.Field(image, at, "height", failed ? Kind.IntegerOrNull : Kind.Integer);

        if (check.Field(image, at, "predictions", Kind.Array) is { } predictions)
        {
            if (predictions.GetArrayLength() > 5) check.Problem($"{at}.predictions: more than 5 entries");
            int p = 0;
            foreach (var prediction in predictions.EnumerateArray())
            {
                string pat = $"{at}.predictions[{p++}]";
                if (!check.Is(prediction, pat, JsonValueKind.Object)) continue;
                check.Field(prediction, pat, "index", Kind.Integer);
                check.Field(prediction, pat, "label", Kind.String);
                if (check.Field(prediction, pat, "probability", Kind.Number) is { } probability
                    && probability.GetDouble() is < 0 or > 1)
                    check.Problem($"{pat}.probability: outside [0, 1]");
                check.Field(prediction, pat, "logit", Kind.Number);
            }
        }

        if (check.Field(image, at, "explanations", Kind.Array) is { } explanations)
        {
            int e = 0;
            foreach (var explanation in explanations.EnumerateArray())
            {
                string eat = $"{at}.explanations[{e++}]";
                if (!check.Is(explanation, eat, JsonValueKind.Object)) continue;
                check.Field(explanation, eat, "method", Kind.String);
                check.Field(explanation, eat, "target", Kind.Integer);
                check.Field(explanation, eat, "label", Kind.String);
                if (check.Field(explanation, eat, "layers", Kind.Array) is { } layers) check.Items(layers, eat + ".layers", Kind.String);
                check.Field(explanation, eat, "heatmap", Kind.String);
                check.Field(explanation, eat, "raw", Kind.StringOrNull);
                check.Field(explanation, eat, "overlay", Kind.String);
                check.Field(explanation, eat, "milliseconds", Kind.Number);
            }
        }
    }

    internal enum Kind { String, StringOrNull, Number, Integer, IntegerOrNull, Boolean, Array, Object }

    private sealed class Checker
    {
        public List<string> Found { get; } = [];

        public void Problem(string problem) => Found.Add(problem);

        public bool Is(JsonElement element, string at, JsonValueKind kind)
        {
            if (element.ValueKind == kind) return true;
            Found.Add($"{at}: expected {kind}, got {element.ValueKind}");
            return false;
        }

        /// <summary>The field if it is present with the right type (null JSON values give null too).</summary>
        public JsonElement? Field(JsonElement owner, string at, string name, Kind kind)
        {
            if (!owner.TryGetProperty(name, out var value))
            {
                Found.Add($"{at}.{name}: missing");
                return null;
            }
            if (Matches(value, kind)) return value.ValueKind == JsonValueKind.Null ? null : value;
            Found.Add($"{at}.{name}: expected {kind}, got {value.ValueKind} {value.GetRawText()}");
            return null;
        }

        public void Items(JsonElement array, string at, Kind kind)
        {
            int i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (!Matches(item, kind)) Found.Add($"{at}[{i}]: expected {kind}, got {item.ValueKind}");
                i++;
            }
        }

        private static bool Matches(JsonElement value, Kind kind) => kind switch
        {
            Kind.String => value.ValueKind == JsonValueKind.String,
            Kind.StringOrNull => value.ValueKind is JsonValueKind.String or JsonValueKind.Null,
            Kind.Number => value.ValueKind == JsonValueKind.Number,
            Kind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            Kind.IntegerOrNull => value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _)),
            Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            Kind.Array => value.ValueKind == JsonValueKind.Array,
            Kind.Object => value.ValueKind == JsonValueKind.Object,
            _ => false,
        };
    }
}
