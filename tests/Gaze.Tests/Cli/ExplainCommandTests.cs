using System.Text.Json;
using System.Text.RegularExpressions;
using Gaze.IO;
using Gaze.Tests.Reporting;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary><c>gaze explain</c> end to end on the real SqueezeNet: files, results.json, report.html, errors.</summary>
public sealed class ExplainCommandTests
{
    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");
    private static string Puppy => SharedData.Require("images/puppy-and-kitten.jfif");

    [Fact]
    public void Writes_every_file_the_results_name_and_a_report_with_one_image_per_overlay()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("explain", CatAndDog, Puppy, "--model", Model, "--method", "gradcam,cam", "--target", "top2", "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);

        string json = File.ReadAllText(Path.Combine(output, "results.json"));
        Assert.Empty(ResultsSchema.Problems(json));
        using var document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        foreach (string path in ResultsSchema.Paths(root))
            Assert.True(File.Exists(Path.Combine(output, path)), $"missing {path}");

        var images = root.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        // 2 methods x top-2 targets per image; the first target is the top prediction.
        Assert.All(images, image => Assert.Equal(4, image.GetProperty("explanations").GetArrayLength()));
        Assert.Equal(243, images[0].GetProperty("explanations")[0].GetProperty("target").GetInt32());
        Assert.Equal(242, images[0].GetProperty("explanations")[1].GetProperty("target").GetInt32());

        // Heatmaps at the original size in [0,1]; raw maps at the layer's 13x13.
        JsonElement puppyFirst = images[1].GetProperty("explanations")[0];
        NpyArray heatmap = NpyFile.Read(Path.Combine(output, puppyFirst.GetProperty("heatmap").GetString()!));
        Assert.Equal(new[] { 177, 284 }, heatmap.Shape);
        Assert.InRange(heatmap.Data.Min(), 0f, 1f);
        Assert.InRange(heatmap.Data.Max(), 0.9f, 1f);
        NpyArray raw = NpyFile.Read(Path.Combine(output, puppyFirst.GetProperty("raw").GetString()!));
        Assert.Equal(new[] { 13, 13 }, raw.Shape);
        Assert.True(raw.Data.Min() >= 0);

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Equal(8, Regex.Matches(html, "<img[^>]*class=\"overlay\"").Count);
        Assert.DoesNotMatch("(src|href)=\"(https?:|//|file:)", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);
        // The report's pictures wait on disk, not in memory, and are cleaned up once inlined.
        Assert.False(Directory.Exists(Path.Combine(output, ".report-pictures")));
        Assert.Equal(Regex.Matches(html, "<img").Count, Regex.Matches(html, "<img[^>]*src=\"data:image/[a-z]+;base64,").Count);
    }

    [Fact]
    public void One_bad_image_is_reported_and_the_others_are_still_explained()
    {
        using var dir = new TempDirectory();
        string bad = dir.File("broken.png");
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        string output = dir.File("out");
        var result = CliRunner.Run("explain", CatAndDog, bad, "--model", Model, "--out", output);

        Assert.Equal(4, result.ExitCode);
        string[] errorLines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(errorLines);
        Assert.Contains("broken.png", errorLines[0]);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var images = document.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(1, images[0].GetProperty("explanations").GetArrayLength());
        Assert.Equal(0, images[1].GetProperty("explanations").GetArrayLength());
        Assert.Contains("broken.png", images[1].GetProperty("path").GetString());
    }

    [Theory]
    [InlineData(new[] { "--layer", "fire9/concatt_1" }, "no layer named 'fire9/concatt_1'; nearest: fire9/concat_1")]
    [InlineData(new[] { "--layer", "pool10_1" }, "layer 'pool10_1' has a 1x1 spatial size")]
    [InlineData(new[] { "--target", "crane" }, "--target: label 'crane' is ambiguous")]
    [InlineData(new[] { "--target", "1000" }, "--target: class index 1000 is out of range")]
    [InlineData(new[] { "--method", "gradcam,bogus" }, "--method: unknown method 'bogus'")]
    [InlineData(new[] { "--method", "cam", "--layer", "fire8/concat_1" }, "is not followed by global average pooling")]
    [InlineData(new[] { "--colormap", "rainbow" }, "--colormap")]
    public void Bad_options_give_one_line_and_exit_code_two(string[] options, string message)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(["explain", CatAndDog, "--model", Model, "--out", dir.File("out"), .. options]);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "results.json")));
    }

    [Fact]
    public void An_image_that_fails_to_decode_alone_exits_two()
    {
        using var dir = new TempDirectory();
        string bad = dir.File("empty.jpg");
        File.WriteAllBytes(bad, []);
        var result = CliRunner.Run("explain", bad, "--model", Model, "--out", dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("empty.jpg", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void A_layer_without_spatial_dimensions_is_refused()
    {
        using var dir = new TempDirectory();
        string model = SharedData.Require("models/resnet18-random.onnx");
        var result = CliRunner.Run("explain", CatAndDog, "--model", model, "--layer", "/Flatten_output_0", "--out", dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no spatial dimensions", result.Error);
    }
}
