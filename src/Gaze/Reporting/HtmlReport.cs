using System.Globalization;
using System.Text;
using Gaze.Errors;
using Gaze.IO;

namespace Gaze.Reporting;

/// <summary>
/// Renders a <see cref="ResultsDocument"/> as one self-contained HTML file that opens offline: pictures are inlined
/// as <c>data:</c> URIs, the styling is inline CSS, and there are no scripts, links, fonts or other references.
/// </summary>
/// <remarks>
/// Content: the model and its input convention, the settings, the images that failed with their errors, one grid
/// per target (the first target of every image, then the second ...) with the images as rows and the methods as
/// columns, and a timing summary per method. Each grid row holds one <c>&lt;img class="thumbnail"&gt;</c> of the
/// original image (when <see cref="ReportPictures"/> has it) beside the top predictions, and each explanation one
/// <c>&lt;img class="overlay"&gt;</c> with its time; no other <c>&lt;img&gt;</c> elements appear. Every text from the
/// results (labels, paths, errors) is HTML-escaped.
/// </remarks>
public static class HtmlReport
{
    /// <summary>Largest side of an inlined thumbnail, in pixels.</summary>
    public const int ThumbnailMaxSide = 160;

    /// <summary>Largest side of an inlined overlay; larger overlays are shown as shrunk copies (the PNG files keep the full size).</summary>
    public const int OverlayMaxSide = 448;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the report to <paramref name="path"/> as UTF-8, atomically.</summary>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    /// <exception cref="GazeFileException">A file-backed picture cannot be read.</exception>
    public static void Write(string path, ResultsDocument results, ReportPictures? pictures = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
            Render(writer, results, pictures ?? new ReportPictures());
        });
    }

    /// <summary>The report as a string (for small result sets and tests).</summary>
    public static string Render(ResultsDocument results, ReportPictures? pictures = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var writer = new StringWriter(Invariant);
        Render(writer, results, pictures ?? new ReportPictures());
        return writer.ToString();
    }

    /// <summary>Writes the report into <paramref name="output"/>, picture by picture, so large reports need not fit in memory.</summary>
    public static void Render(TextWriter output, ResultsDocument results, ReportPictures pictures)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(pictures);

        int explanationCount = results.Images.Sum(image => image.Explanations.Count);
        output.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        output.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        output.Write($"<title>Gaze report: {Escape(results.Model.Name)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n");
        output.Write($"<header>\n<h1>Gaze report</h1>\n<p class=\"subtitle\">{Escape(results.Model.Name)} &middot; " +
            $"{Count(results.Images.Count, "image")} &middot; {Count(explanationCount, "explanation")} &middot; " +
            $"Gaze {Escape(results.Gaze)}</p>\n</header>\n");
        if (!results.Complete)
            output.Write($"<p class=\"error\">Interrupted: {Count(results.ImagesLeft, "image")} not reached; this report shows the finished ones.</p>\n");

        WriteModel(output, results.Model);
        WriteSettings(output, results.Settings);
        WriteErrors(output, results.Images);
        WriteTargetGrids(output, results, pictures);
        WriteTimings(output, results);
        output.Write("<footer>Written by Gaze ");
        output.Write(Escape(results.Gaze));
        output.Write(". Heatmaps, raw maps and full-size overlays are listed in results.json beside this file.</footer>\n</body>\n</html>\n");
    }

    /// <summary>
    /// <paramref name="text"/> with <c>&amp; &lt; &gt; " '</c> replaced by character references, safe in element
    /// content and in double- or single-quoted attributes.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    private static void WriteModel(TextWriter output, ModelSummary model)
    {
        var input = model.Input;
        output.Write("<section id=\"model\">\n<h2>Model</h2>\n<table class=\"facts\">\n");
        Fact(output, "Name", model.Name);
        Fact(output, "File", model.Path, "path");
        // Where each part came from, so that an inferred layout or a preset is visible beside its value.
        string From(string part) => input.Sources.TryGetValue(part, out string? source) && source != "default" ? $" (from the {(source == "option" ? "options" : source)})" : "";
        Fact(output, "Input size", (input.Size.Count == 2 ? $"{input.Size[0]} \u00d7 {input.Size[1]} (height \u00d7 width)" : Numbers(input.Size)) + From("size"));
        Fact(output, "Layout", input.Layout + From("layout"));
        Fact(output, "Channels", input.Channels + From("channels"));
        Fact(output, "Pixel range", "0 to " + Number(input.Range) + From("normalisation"));
        Fact(output, "Mean", Numbers(input.Mean));
        Fact(output, "Std", Numbers(input.Std));
        Fact(output, "Resize", input.Resize + From("resize"));
        if (input.Preset is { } preset) Fact(output, "Preset", preset);
        output.Write("</table>\n</section>\n");
    }

    private static void WriteSettings(TextWriter output, ExplanationSettings settings)
    {
        output.Write("<section id=\"settings\">\n<h2>Settings</h2>\n<table class=\"facts\">\n");
        Fact(output, "Methods", string.Join(", ", settings.Methods));
        Fact(output, "Target", settings.Target);
        Fact(output, "Layers", string.Join(", ", settings.Layers));
        Fact(output, "Colormap", settings.Colormap);
        Fact(output, "Opacity", Number(settings.Opacity));
        Fact(output, "Augmentation smoothing", settings.AugSmooth ? "on" : "off");
        Fact(output, "Eigen smoothing", settings.EigenSmooth ? "on" : "off");
        Fact(output, "Threads", settings.Threads.ToString(Invariant));
        output.Write("</table>\n</section>\n");
    }

    private static void WriteErrors(TextWriter output, IReadOnlyList<ImageResult> images)
    {
        var failed = images.Where(image => image.Error is not null).ToList();
        if (failed.Count == 0) return;
        output.Write($"<section id=\"errors\">\n<h2>Problems ({failed.Count})</h2>\n<ul class=\"errors\">\n");
        foreach (var image in failed)
            output.Write($"<li><span class=\"path\">{Escape(image.Path)}</span>: <span class=\"error\">{Escape(image.Error)}</span></li>\n");
        output.Write("</ul>\n</section>\n");
    }

    /// <summary>One grid per target position: grid k holds the k-th distinct target of every image that has one.</summary>
    private static void WriteTargetGrids(TextWriter output, ResultsDocument results, ReportPictures pictures)
    {
        var rows = new List<List<(int ImageIndex, int Target)>>();
        for (int i = 0; i < results.Images.Count; i++)
        {
            var targets = results.Images[i].Explanations.Select(e => e.Target).Distinct().ToList();
            for (int k = 0; k < targets.Count; k++)
            {
                while (rows.Count <= k) rows.Add([]);
                rows[k].Add((i, targets[k]));
            }
        }

        for (int k = 0; k < rows.Count; k++)
        {
            var slot = rows[k];
            var explanations = slot.SelectMany(row => ExplanationsOf(results.Images[row.ImageIndex], row.Target)).ToList();
            var methods = OrderedMethods(results.Settings.Methods, explanations);
            output.Write($"<section class=\"target\" id=\"target-{k + 1}\">\n<h2>{TargetTitle(k, rows.Count, slot, explanations)}</h2>\n");
            output.Write("<div class=\"grid-wrap\">\n<table class=\"grid\">\n<thead><tr><th scope=\"col\">Image</th><th scope=\"col\">Top predictions</th>");
            foreach (string method in methods) output.Write($"<th scope=\"col\">{Escape(method)}</th>");
            output.Write("</tr></thead>\n<tbody>\n");
            foreach (var (imageIndex, target) in slot)
                WriteRow(output, results.Images[imageIndex], imageIndex, target, methods, pictures);
            output.Write("</tbody>\n</table>\n</div>\n</section>\n");
        }
    }

    private static string TargetTitle(int k, int slots, List<(int ImageIndex, int Target)> slot, List<ExplanationResult> explanations)
    {
        string heading = slots == 1 ? "Explanations" : $"Target {k + 1} of {slots}";
        if (slot.Select(row => row.Target).Distinct().Count() == 1)
        {
            var first = explanations[0];
            return $"{heading}: {Escape(first.Label)} (class {first.Target.ToString(Invariant)})";
        }
        return $"{heading}: each image's own class";
    }

    private static void WriteRow(TextWriter output, ImageResult image, int imageIndex, int target,
        IReadOnlyList<string> methods, ReportPictures pictures)
    {
        var explanations = ExplanationsOf(image, target).ToList();
        output.Write("<tr>\n<th scope=\"row\" class=\"image\">");
        var thumbnail = pictures.Thumbnail(imageIndex);
        if (thumbnail is not null)
        {
            output.Write($"<img class=\"thumbnail\" width=\"{thumbnail.Width}\" height=\"{thumbnail.Height}\" alt=\"{Escape(image.Path)}\" src=\"");
            output.Write(thumbnail.ToDataUri());
            output.Write("\">");
        }
        output.Write($"<div class=\"path\">{Escape(image.Path)}</div>");
        if (image.Width is int width && image.Height is int height)
            output.Write($"<div class=\"muted\">{width} \u00d7 {height}</div>");
        output.Write($"<div class=\"target-label\">Target: {Escape(explanations[0].Label)} ({target.ToString(Invariant)})</div>");
        if (image.Error is not null) output.Write($"<div class=\"error\">{Escape(image.Error)}</div>");
        output.Write("</th>\n<td class=\"predictions\">");
        WritePredictions(output, image.Predictions, target);
        output.Write("</td>\n");

        foreach (string method in methods)
        {
            output.Write("<td class=\"cell\">");
            var cell = explanations.Where(e => e.Method == method).ToList();
            if (cell.Count == 0) output.Write("<span class=\"muted\">&mdash;</span>");
            foreach (var explanation in cell) WriteOverlay(output, explanation, pictures);
            output.Write("</td>\n");
        }
        output.Write("</tr>\n");
    }

    private static void WritePredictions(TextWriter output, IReadOnlyList<Prediction> predictions, int target)
    {
        if (predictions.Count == 0)
        {
            output.Write("<span class=\"muted\">none</span>");
            return;
        }
        output.Write("<ol class=\"predictions\">");
        foreach (var p in predictions)
        {
            string marker = p.Index == target ? " class=\"is-target\"" : "";
            output.Write($"<li{marker}><span class=\"label\">{Escape(p.Label)}</span> <span class=\"muted\">({p.Index.ToString(Invariant)})</span> " +
                $"<span class=\"probability\">{(100 * p.Probability).ToString("0.0", Invariant)}%</span> " +
                $"<span class=\"muted\">logit {p.Logit.ToString("0.00", Invariant)}</span></li>");
        }
        output.Write("</ol>");
    }

    private static void WriteOverlay(TextWriter output, ExplanationResult explanation, ReportPictures pictures)
    {
        output.Write("<figure>");
        var picture = pictures.Overlay(explanation.Overlay);
        string alt = $"{explanation.Method} for {explanation.Label}";
        if (picture is null)
        {
            output.Write($"<div class=\"missing\">{Escape(explanation.Overlay)} (not embedded)</div>");
        }
        else
        {
            output.Write($"<img class=\"overlay\" width=\"{picture.Width}\" height=\"{picture.Height}\" alt=\"{Escape(alt)}\" title=\"{Escape(explanation.Overlay)}\" src=\"");
            output.Write(picture.ToDataUri());
            output.Write("\">");
        }
        // Pixel methods' signed gradient picture sits under their overlay, at the model's input size.
        if (explanation.Gradient is { } gradientPath && pictures.Overlay(gradientPath) is { } gradient)
        {
            output.Write($"<img class=\"gradient\" width=\"{gradient.Width}\" height=\"{gradient.Height}\" alt=\"{Escape(alt)}, signed gradient\" title=\"{Escape(gradientPath)}\" src=\"");
            output.Write(gradient.ToDataUri());
            output.Write("\">");
        }
        output.Write($"<figcaption>{Milliseconds(explanation.Milliseconds)} &middot; {Escape(string.Join(", ", explanation.Layers))}</figcaption></figure>");
    }

    private static void WriteTimings(TextWriter output, ResultsDocument results)
    {
        var all = results.Images.SelectMany(image => image.Explanations).ToList();
        if (all.Count == 0) return;
        output.Write("<section id=\"timings\">\n<h2>Timings</h2>\n<table class=\"timings\">\n");
        output.Write("<thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Explanations</th><th scope=\"col\">Median</th>" +
            "<th scope=\"col\">Mean</th><th scope=\"col\">Min</th><th scope=\"col\">Max</th><th scope=\"col\">Total</th></tr></thead>\n<tbody>\n");
        foreach (string method in OrderedMethods(results.Settings.Methods, all))
        {
            var times = all.Where(e => e.Method == method).Select(e => e.Milliseconds).Order().ToList();
            double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
            output.Write($"<tr><th scope=\"row\">{Escape(method)}</th><td>{times.Count}</td><td>{Milliseconds(median)}</td>" +
                $"<td>{Milliseconds(times.Average())}</td><td>{Milliseconds(times[0])}</td><td>{Milliseconds(times[^1])}</td>" +
                $"<td>{Milliseconds(times.Sum())}</td></tr>\n");
        }
        output.Write("</tbody>\n</table>\n</section>\n");
    }

    private static IEnumerable<ExplanationResult> ExplanationsOf(ImageResult image, int target) =>
        image.Explanations.Where(e => e.Target == target);

    /// <summary>The methods that occur, in the settings' order first, then any others in order of appearance.</summary>
    private static List<string> OrderedMethods(IReadOnlyList<string> declared, IEnumerable<ExplanationResult> explanations)
    {
        var present = explanations.Select(e => e.Method).Distinct().ToList();
        return [.. declared.Where(present.Contains).Distinct(), .. present.Where(m => !declared.Contains(m))];
    }

    private static void Fact(TextWriter output, string name, string value, string? valueClass = null)
    {
        string cls = valueClass is null ? "" : $" class=\"{valueClass}\"";
        output.Write($"<tr><th scope=\"row\">{Escape(name)}</th><td{cls}>{Escape(value)}</td></tr>\n");
    }

    private static string Count(int n, string noun) => $"{n.ToString(Invariant)} {noun}{(n == 1 ? "" : "s")}";

    private static string Number(double value) => value.ToString("0.######", Invariant);

    private static string Numbers<T>(IEnumerable<T> values) where T : IFormattable =>
        "[" + string.Join(", ", values.Select(v => v.ToString("0.######", Invariant))) + "]";

    private static string Milliseconds(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", Invariant) + " ms";

    internal const string Style = """
        :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --bad: #c2161f; --mark: #fff3c4; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; padding: 24px 32px 48px; max-width: 1800px; color: var(--ink); background: #fff;
               font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 1.7em; margin: 0; }
        h2 { font-size: 1.2em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        .subtitle, .muted, figcaption, footer { color: var(--muted); }
        .subtitle { margin: 4px 0 0; }
        table { border-collapse: collapse; }
        table.facts th { text-align: left; font-weight: 600; padding: 2px 24px 2px 0; color: var(--muted); }
        table.facts td { padding: 2px 0; }
        .grid-wrap { overflow-x: auto; }
        table.grid th, table.grid td, table.timings th, table.timings td { border: 1px solid var(--line); padding: 8px; vertical-align: top; }
        table.grid thead th, table.timings thead th { background: var(--panel); text-align: left; }
        table.grid th.image { text-align: left; font-weight: normal; width: 190px; }
        table.timings td { text-align: right; font-variant-numeric: tabular-nums; }
        img.thumbnail { display: block; max-width: 160px; height: auto; margin-bottom: 6px; border-radius: 3px; }
        img.overlay { display: block; width: 224px; height: auto; border-radius: 3px; }
        img.gradient { display: block; width: 224px; height: auto; border-radius: 3px; margin-top: 4px; image-rendering: pixelated; }
        figure { margin: 0 0 8px; }
        figcaption { font-size: 0.85em; margin-top: 3px; font-variant-numeric: tabular-nums; }
        .path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
        .target-label { margin-top: 4px; font-weight: 600; }
        ol.predictions { margin: 0; padding-left: 1.5em; min-width: 220px; }
        ol.predictions li.is-target { background: var(--mark); }
        .probability { font-variant-numeric: tabular-nums; font-weight: 600; }
        .error { color: var(--bad); }
        ul.errors { padding-left: 1.2em; }
        .missing { color: var(--muted); font-style: italic; width: 224px; }
        footer { margin-top: 40px; font-size: 0.85em; }

        """;
}
