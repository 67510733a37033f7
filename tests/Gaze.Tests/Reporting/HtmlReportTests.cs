using System.Text.RegularExpressions;
using Gaze.Imaging;
using Gaze.Reporting;
using SkiaSharp;

namespace Gaze.Tests.Reporting;

public partial class HtmlReportTests
{
    private const string Hostile = "<script>alert('x')</script> & \"quoted\"";

    internal static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string ReadReport(FakeRun run) => File.ReadAllText(Path.Combine(run.Output, "report.html"));

    [GeneratedRegex("<img class=\"overlay\"[^>]* title=\"(?<path>[^\"]*)\" src=\"data:image/png;base64,(?<data>[A-Za-z0-9+/=]*)\">")]
    private static partial Regex OverlayImage();

    [GeneratedRegex("<img class=\"thumbnail\"[^>]* src=\"data:image/png;base64,(?<data>[A-Za-z0-9+/=]*)\">")]
    private static partial Regex ThumbnailImage();

    [Fact]
    public void The_report_has_one_overlay_img_per_explanation_and_one_thumbnail_per_row()
    {
        using var run = FakeRun.Write();
        string html = ReadReport(run);

        Assert.Equal(4, Count(html, "<img class=\"overlay\""));
        Assert.Equal(2, Count(html, "<img class=\"thumbnail\""));
        Assert.Equal(4 + 2, Count(html, "<img"));
    }

    [Fact]
    public void Overlays_are_inlined_byte_for_byte_and_thumbnails_show_the_original()
    {
        using var run = FakeRun.Write();
        string html = ReadReport(run);

        var overlays = OverlayImage().Matches(html);
        Assert.Equal(run.Results.Images.SelectMany(i => i.Explanations).Select(e => e.Overlay), overlays.Select(m => m.Groups["path"].Value));
        foreach (Match match in overlays)
            Assert.Equal(File.ReadAllBytes(Path.Combine(run.Output, match.Groups["path"].Value)), Convert.FromBase64String(match.Groups["data"].Value));

        var thumbnails = ThumbnailImage().Matches(html);
        Assert.Equal(2, thumbnails.Count);
        for (int i = 0; i < 2; i++)
        {
            using var decoded = SKBitmap.Decode(Convert.FromBase64String(thumbnails[i].Groups["data"].Value));
            var original = FakeRun.Picture(i);
            Assert.Equal((original.Width, original.Height), (decoded.Width, decoded.Height));
            var colour = decoded.GetPixel(7, 5);
            Assert.Equal(original[7, 5], (colour.Red, colour.Green, colour.Blue));
        }
    }

    [Fact]
    public void The_report_references_nothing_outside_itself()
    {
        using var run = FakeRun.Write();
        string html = ReadReport(run);

        foreach (string external in new[] { "http://", "https://", "src=\"/", "src=\"../", "<link", "<script", "href=", "url(", "@import", "file:" })
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        // Every src is an inlined picture.
        Assert.Equal(Count(html, "src="), Count(html, "src=\"data:image/"));
    }

    [Fact]
    public void Labels_names_and_errors_are_escaped()
    {
        using var run = FakeRun.Write();
        string html = ReadReport(run);

        Assert.DoesNotContain(FakeRun.Label, html);
        Assert.Contains("&lt;b&gt;bull &amp; &quot;mastiff&quot;&lt;/b&gt;", html);
        Assert.Contains("SqueezeNet &lt;1.1&gt; &amp; co", html);
        Assert.DoesNotContain("<1.1>", html);
    }

    [Fact]
    public void The_report_shows_predictions_settings_model_timings_and_the_failed_image()
    {
        using var run = FakeRun.Write();
        string html = ReadReport(run);

        Assert.Contains("<span class=\"path\">../inputs/broken.png</span>: <span class=\"error\">not an image: unknown format</span>", html);
        Assert.Equal(2, Count(html, "tabby, tabby cat"));
        Assert.Equal(2, Count(html, "60.0%"));
        Assert.Contains("<th scope=\"row\">Target</th><td>top1</td>", html);
        Assert.Contains("<th scope=\"row\">Colormap</th><td>jet</td>", html);
        Assert.Contains("<th scope=\"row\">Mean</th><td>[104, 117, 123]</td>", html);
        Assert.Contains("<th scope=\"col\">gradcam</th><th scope=\"col\">gradcam++</th>", html);
        // Times per explanation, and per method: gradcam took 10.5 and 11.5 ms, gradcam++ 13.5 and 14.5 ms.
        foreach (string time in new[] { "10.5 ms", "11.5 ms", "13.5 ms", "14.5 ms" }) Assert.Contains(time, html);
        Assert.Contains("<tr><th scope=\"row\">gradcam</th><td>2</td><td>11.0 ms</td><td>11.0 ms</td><td>10.5 ms</td><td>11.5 ms</td><td>22.0 ms</td></tr>", html);
        Assert.Contains("Explanations: &lt;b&gt;bull &amp; &quot;mastiff&quot;&lt;/b&gt; (class 243)", html);
    }

    [Fact]
    public void Escape_replaces_the_five_special_characters()
    {
        Assert.Equal("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; é", HtmlReport.Escape("a <b> & \"c\" 'd' é"));
        Assert.Equal("", HtmlReport.Escape(null));
    }

    private static ResultsDocument Document(string text, IReadOnlyList<ImageResult> images) => new()
    {
        Gaze = text,
        Model = FakeRun.Model(text) with { Name = text },
        Settings = FakeRun.Settings() with { Methods = [text], Target = text, Layers = [text] },
        Images = images,
    };

    private static ExplanationResult Explanation(string method, int target, string label, string overlay) => new()
    {
        Method = method,
        Target = target,
        Label = label,
        Layers = [label],
        Heatmap = overlay + ".npy",
        Raw = null,
        Overlay = overlay,
        Milliseconds = 2,
    };

    private static ImageResult Image(string path, params ExplanationResult[] explanations) => new()
    {
        Path = path,
        Width = 4,
        Height = 3,
        Predictions = [new Prediction { Index = 1, Label = path, Probability = 0.5, Logit = 1 }],
        Explanations = explanations,
    };

    private static EmbeddedImage TinyPng()
    {
        using var buffer = new MemoryStream();
        ImageEncoder.Encode(new RgbImage(4, 3), ImageFileFormat.Png, 95, buffer);
        return EmbeddedImage.FromBytes("image/png", 4, 3, buffer.ToArray());
    }

    [Fact]
    public void Hostile_text_anywhere_in_the_results_never_becomes_markup()
    {
        var image = Image(Hostile, Explanation(Hostile, 1, Hostile, Hostile)) with { Error = Hostile };
        var failed = new ImageResult { Path = Hostile, Width = null, Height = null, Predictions = [], Explanations = [], Error = Hostile };
        var pictures = new ReportPictures();
        pictures.SetOverlay(Hostile, TinyPng());
        pictures.SetThumbnail(0, TinyPng());

        string html = HtmlReport.Render(Document(Hostile, [image, failed]), pictures);

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("alert('x')", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;", html);
        Assert.Equal(2, Count(html, "<img"));
    }

    [Fact]
    public void Several_targets_give_one_grid_each_with_a_row_per_image()
    {
        // Each image explains its own two best classes (e.g. --target top2), with two methods.
        var images = new[]
        {
            Image("a.png", Explanation("gradcam", 10, "ten", "a/1"), Explanation("layercam", 10, "ten", "a/2"),
                Explanation("gradcam", 20, "twenty", "a/3"), Explanation("layercam", 20, "twenty", "a/4")),
            Image("b.png", Explanation("gradcam", 20, "twenty", "b/1"), Explanation("layercam", 20, "twenty", "b/2"),
                Explanation("gradcam", 30, "thirty", "b/3"), Explanation("layercam", 30, "thirty", "b/4")),
        };
        var pictures = new ReportPictures();
        foreach (var explanation in images.SelectMany(i => i.Explanations)) pictures.SetOverlay(explanation.Overlay, TinyPng());
        pictures.SetThumbnail(0, TinyPng());
        pictures.SetThumbnail(1, TinyPng());
        var results = Document("v", images) with { Settings = FakeRun.Settings() with { Methods = ["layercam", "gradcam"], Target = "top2" } };

        string html = HtmlReport.Render(results, pictures);

        Assert.Equal(2, Count(html, "<section class=\"target\""));
        Assert.Contains("<h2>Target 1 of 2: each image's own class</h2>", html);
        Assert.Contains("<h2>Target 2 of 2: each image's own class</h2>", html);
        Assert.Equal(8, Count(html, "<img class=\"overlay\""));
        Assert.Equal(4, Count(html, "<img class=\"thumbnail\""));
        // Columns follow the settings' method order.
        Assert.Equal(2, Count(html, "<th scope=\"col\">layercam</th><th scope=\"col\">gradcam</th>"));
        Assert.True(html.IndexOf("Target: ten (10)", StringComparison.Ordinal) < html.IndexOf("Target: twenty (20)", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_pictures_the_report_says_so_instead_of_showing_broken_images()
    {
        var results = Document("v", [Image("a.png", Explanation("gradcam", 10, "ten", "a/1.png"))]);
        string html = HtmlReport.Render(results);

        Assert.Equal(0, Count(html, "<img"));
        Assert.Contains("a/1.png (not embedded)", html);
    }
}
