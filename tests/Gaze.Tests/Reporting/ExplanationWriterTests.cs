using System.Buffers.Binary;
using System.Text.Json;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.IO;
using Gaze.Rendering;
using Gaze.Reporting;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Reporting;

public class ExplanationWriterTests
{
    private static JsonElement ReadJson(FakeRun run)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "results.json")));
        return document.RootElement.Clone();
    }

    private static (int Width, int Height) PngSize(string path)
    {
        // The IHDR chunk follows the 8-byte signature: length, type, then width and height big-endian.
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Results_json_has_every_required_field_with_the_right_type()
    {
        using var run = FakeRun.Write();
        var root = ReadJson(run);

        Assert.Empty(ResultsSchema.Problems(root));
        Assert.Equal("9.9.9-test", root.GetProperty("gaze").GetString());
        Assert.Equal([224, 224], root.GetProperty("model").GetProperty("input").GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(3, root.GetProperty("images").GetArrayLength());

        var first = root.GetProperty("images")[0];
        Assert.Equal((FakeRun.ImageWidth, FakeRun.ImageHeight), (first.GetProperty("width").GetInt32(), first.GetProperty("height").GetInt32()));
        Assert.Equal(5, first.GetProperty("predictions").GetArrayLength());
        Assert.False(first.TryGetProperty("error", out _), "error is omitted for images without one");
        var explanation = first.GetProperty("explanations")[1];
        Assert.Equal("gradcam++", explanation.GetProperty("method").GetString());
        Assert.Equal(FakeRun.Target, explanation.GetProperty("target").GetInt32());
        Assert.Equal(FakeRun.Label, explanation.GetProperty("label").GetString());
        Assert.Equal(FakeRun.Layers, explanation.GetProperty("layers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(13.5, explanation.GetProperty("milliseconds").GetDouble());
        Assert.Equal(JsonValueKind.False, root.GetProperty("settings").GetProperty("aug_smooth").ValueKind);
    }

    [Fact]
    public void A_failed_image_is_recorded_with_its_error_and_no_size()
    {
        using var run = FakeRun.Write();
        var failed = ReadJson(run).GetProperty("images")[1];

        Assert.Equal("../inputs/broken.png", failed.GetProperty("path").GetString());
        Assert.Equal(FakeRun.BrokenError, failed.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("width").ValueKind);
        Assert.Equal(0, failed.GetProperty("explanations").GetArrayLength());
    }

    [Fact]
    public void Every_path_is_relative_with_forward_slashes_and_exists()
    {
        using var run = FakeRun.Write();
        var paths = ResultsSchema.Paths(ReadJson(run)).ToList();

        Assert.Equal(1 + 3 + 2 * 2 * 3, paths.Count);
        foreach (string path in paths)
        {
            Assert.False(Path.IsPathRooted(path), $"{path} is absolute");
            Assert.DoesNotContain('\\', path);
            Assert.True(File.Exists(Path.Combine(run.Output, path)), $"{path} does not exist relative to the output directory");
        }
        Assert.Equal("../inputs/model.onnx", paths[0]);
        Assert.Equal("../inputs/a/cat.png", paths[1]);
    }

    [Fact]
    public void Files_follow_the_documented_layout_and_duplicate_image_names_get_their_own_folder()
    {
        using var run = FakeRun.Write();
        var images = run.Results.Images;

        Assert.Equal(
            ["cat/gradcam-243-heatmap.npy", "cat/gradcam-243-raw.npy", "cat/gradcam-243-overlay.png"],
            new[] { images[0].Explanations[0].Heatmap, images[0].Explanations[0].Raw!, images[0].Explanations[0].Overlay });
        Assert.Equal("cat/gradcam++-243-overlay.png", images[0].Explanations[1].Overlay);
        Assert.Equal("cat-2/gradcam-243-overlay.png", images[2].Explanations[0].Overlay);
        Assert.Equal(["cat", "cat-2"], Directory.GetDirectories(run.Output).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Heatmap_npy_has_the_image_size_and_values_in_0_1()
    {
        using var run = FakeRun.Write();
        for (int image = 0; image < 2; image++)
        {
            var entry = run.Results.Images[2 * image].Explanations[1];
            var array = NpyFile.Read(Path.Combine(run.Output, entry.Heatmap));

            Assert.Equal([FakeRun.ImageHeight, FakeRun.ImageWidth], array.Shape);
            Assert.All(array.Data, v => Assert.InRange(v, 0f, 1f));
            // The map the method gave, resized to the image (bilinear, half-pixel centres).
            var expected = FakeRun.InputHeatmap(image, 1).Resize(FakeRun.ImageWidth, FakeRun.ImageHeight);
            Assert.Equal(expected.Values, array.Data);
        }
    }

    [Fact]
    public void Raw_npy_has_the_layer_resolution_and_the_raw_values()
    {
        using var run = FakeRun.Write();
        var entry = run.Results.Images[2].Explanations[0];
        var array = NpyFile.Read(Path.Combine(run.Output, entry.Raw!));

        Assert.Equal([FakeRun.LayerHeight, FakeRun.LayerWidth], array.Shape);
        Assert.Equal(FakeRun.RawMap(1, 0).Values, array.Data);
    }

    [Fact]
    public void Overlay_png_is_the_heatmap_over_the_image_at_the_original_size()
    {
        using var run = FakeRun.Write();
        var entry = run.Results.Images[0].Explanations[0];
        string path = Path.Combine(run.Output, entry.Overlay);
        Assert.Equal((FakeRun.ImageWidth, FakeRun.ImageHeight), PngSize(path));

        var heatmap = FakeRun.InputHeatmap(0, 0).Resize(FakeRun.ImageWidth, FakeRun.ImageHeight);
        var expected = HeatmapRenderer.Overlay(FakeRun.Picture(0), heatmap, Colormap.Jet, 0.5);
        using var decoded = SKBitmap.Decode(path);
        for (int y = 0; y < FakeRun.ImageHeight; y++)
        {
            for (int x = 0; x < FakeRun.ImageWidth; x++)
            {
                var colour = decoded.GetPixel(x, y);
                Assert.Equal(expected[x, y], (colour.Red, colour.Green, colour.Blue));
            }
        }
    }

    [Fact]
    public void No_temporary_files_are_left()
    {
        using var run = FakeRun.Write();
        var files = Directory.GetFiles(run.Output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(run.Output, f)).ToList();

        Assert.Equal(2 + 2 * 2 * 3, files.Count);
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith('.') || f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Results_json_reads_back_into_the_same_results()
    {
        using var run = FakeRun.Write();
        var read = ResultsJson.Read(Path.Combine(run.Output, "results.json"));
        Assert.Equal(ResultsJson.Serialize(run.Results), ResultsJson.Serialize(read));
    }

    [Fact]
    public void Reading_results_without_a_required_field_is_a_data_format_error()
    {
        using var temp = new TempDirectory();
        string path = temp.File("results.json");
        File.WriteAllText(path, """{"gaze": "1", "images": []}""");
        var error = Assert.Throws<DataFormatException>(() => ResultsJson.Read(path));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Without_a_raw_map_raw_is_null_and_no_raw_file_is_written()
    {
        using var temp = new TempDirectory();
        var writer = new ExplanationWriter(temp.Path, FakeRun.Model(temp.File("m.onnx")), FakeRun.Settings());
        var image = writer.AddImage(temp.File("x.png"), FakeRun.Picture(0), FakeRun.Predictions());
        var entry = image.Add("gradcam", 5, "five", ["a", "b"], FakeRun.InputHeatmap(0, 0), raw: null, milliseconds: 1);
        writer.Finish();

        Assert.Null(entry.Raw);
        Assert.Contains("\"raw\": null", File.ReadAllText(writer.ResultsPath));
        Assert.Equal(["gradcam-5-heatmap.npy", "gradcam-5-overlay.png"], Directory.GetFiles(Path.Combine(temp.Path, "x")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_repeated_method_and_target_gets_distinct_files()
    {
        using var temp = new TempDirectory();
        var writer = new ExplanationWriter(temp.Path, FakeRun.Model(temp.File("m.onnx")), FakeRun.Settings());
        var image = writer.AddImage(temp.File("x.png"), FakeRun.Picture(0), FakeRun.Predictions());
        var first = image.Add("gradcam", 5, "five", ["a"], FakeRun.InputHeatmap(0, 0), null, 1);
        var second = image.Add("gradcam", 5, "five", ["b"], FakeRun.InputHeatmap(0, 1), null, 1);

        Assert.Equal("x/gradcam-5-overlay.png", first.Overlay);
        Assert.Equal("x/gradcam-5-2-overlay.png", second.Overlay);
    }

    [Fact]
    public void A_heatmap_outside_0_1_is_refused_before_any_file_is_written()
    {
        using var temp = new TempDirectory();
        var writer = new ExplanationWriter(temp.Path, FakeRun.Model(temp.File("m.onnx")), FakeRun.Settings());
        var image = writer.AddImage(temp.File("x.png"), FakeRun.Picture(0), FakeRun.Predictions());
        var bad = FakeRun.InputHeatmap(0, 0);
        bad[3, 2] = 1.5f;

        var error = Assert.Throws<ArgumentException>(() => image.Add("gradcam", 5, "five", ["a"], bad, null, 1));
        Assert.Contains("(3,2)", error.Message);
        bad[3, 2] = float.NaN;
        Assert.Throws<ArgumentException>(() => image.Add("gradcam", 5, "five", ["a"], bad, null, 1));
        Assert.Empty(Directory.GetFiles(Path.Combine(temp.Path, "x")));
    }

    [Fact]
    public void Nothing_can_be_added_after_finishing_and_finishing_twice_is_an_error()
    {
        using var temp = new TempDirectory();
        var writer = new ExplanationWriter(temp.Path, FakeRun.Model(temp.File("m.onnx")), FakeRun.Settings());
        var image = writer.AddImage(temp.File("x.png"), FakeRun.Picture(0), FakeRun.Predictions());
        writer.Finish();

        Assert.Throws<InvalidOperationException>(() => writer.Finish());
        Assert.Throws<InvalidOperationException>(() => writer.AddFailedImage(temp.File("y.png"), "bad"));
        Assert.Throws<InvalidOperationException>(() => writer.AddImage(temp.File("y.png"), FakeRun.Picture(0), []));
        Assert.Throws<InvalidOperationException>(() => image.Add("gradcam", 5, "five", ["a"], FakeRun.InputHeatmap(0, 0), null, 1));
    }

    [Fact]
    public void An_error_after_some_explanations_keeps_them_and_is_recorded()
    {
        using var temp = new TempDirectory();
        var writer = new ExplanationWriter(temp.Path, FakeRun.Model(temp.File("m.onnx")), FakeRun.Settings());
        var image = writer.AddImage(temp.File("x.png"), FakeRun.Picture(0), FakeRun.Predictions());
        image.Add("gradcam", 5, "five", ["a"], FakeRun.InputHeatmap(0, 0), null, 1);
        image.Fail("scorecam failed:\nout of memory");
        var results = writer.Finish();

        Assert.Equal("scorecam failed: out of memory", results.Images[0].Error);
        Assert.Single(results.Images[0].Explanations);
        Assert.Empty(ResultsSchema.Problems(File.ReadAllText(writer.ResultsPath)));
    }

    [Fact]
    public void A_bad_colormap_or_opacity_or_missing_directory_is_refused_up_front()
    {
        using var temp = new TempDirectory();
        var model = FakeRun.Model(temp.File("m.onnx"));
        var colormap = Assert.Throws<InvalidOptionException>(() => new ExplanationWriter(temp.Path, model, FakeRun.Settings() with { Colormap = "rainbow" }));
        Assert.Equal("--colormap", colormap.Option);
        var opacity = Assert.Throws<InvalidOptionException>(() => new ExplanationWriter(temp.Path, model, FakeRun.Settings() with { Opacity = 1.5 }));
        Assert.Equal("--opacity", opacity.Option);
        Assert.Throws<OutputFileException>(() => new ExplanationWriter(temp.File("missing"), model, FakeRun.Settings()));
    }

    [Fact]
    public void Large_images_keep_full_size_files_and_a_shrunk_copy_in_the_report()
    {
        using var temp = new TempDirectory();
        var writer = new ExplanationWriter(temp.Path, FakeRun.Model(temp.File("m.onnx")), FakeRun.Settings());
        var image = writer.AddImage(temp.File("big.jpg"), FakeRun.Picture(0, 900, 600), FakeRun.Predictions());
        var entry = image.Add("gradcam", 5, "five", ["a"], FakeRun.InputHeatmap(0, 0), null, 1);
        writer.Finish();

        Assert.Equal((900, 600), PngSize(Path.Combine(temp.Path, entry.Overlay)));
        Assert.Equal([600, 900], NpyFile.Read(Path.Combine(temp.Path, entry.Heatmap)).Shape);
        string html = File.ReadAllText(writer.ReportPath);
        Assert.Contains("<img class=\"overlay\" width=\"448\" height=\"299\"", html);
        Assert.Contains("<img class=\"thumbnail\" width=\"160\" height=\"107\"", html);
        Assert.Equal(2, HtmlReportTests.Count(html, "src=\"data:image/jpeg;base64,"));
    }
}
