using System.Text.Json;
using Gaze.Engine;
using Gaze.IO;
using Gaze.Tests.Imaging;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Cli;

/// <summary>
/// Inputs that are legal but large: a photo near the pixel limit is explained with bounded heatmaps and overlays, and
/// a model input size whose activations exceed the budget is refused before the model runs at that size.
/// </summary>
public sealed class LargeInputTests
{
    private static string Squeezenet => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");

    [Fact]
    public void Explaining_a_39_megapixel_photo_and_every_bomb_stays_under_two_gigabytes_with_bounded_heatmaps()
    {
        using var dir = new TempDirectory();
        string photo = dir.File("large.jpg");
        File.WriteAllBytes(photo, SkiaEncoding.Encode(TestPictures.Quadrants(6500, 6000), SKEncodedImageFormat.Jpeg, quality: 90));
        Assert.True(new FileInfo(photo).Length < 10_000_000);
        var bombs = ImageLimitTests.Bombs.Select(row => ImageLimitTests.WriteBomb(dir, (string)row[0], (int)row[1])).ToList();
        string output = dir.File("out");

        var run = CliProcess.RunMeasuringMemory(["explain", photo, .. bombs, "--method", "gradcam,gradcam++,layercam,eigencam", "--out", output]);

        Assert.True(run.ExitCode == 4, string.Join('\n', run.ErrorLines));
        Assert.Equal(bombs.Count, run.ErrorLines.Count(l => l.Contains("image declares", StringComparison.Ordinal)));
        Assert.True(run.PeakKilobytes > 0, "the process ended before its memory could be read");
        Assert.True(run.PeakKilobytes < 2L * 1024 * 1024, $"peak resident memory {run.PeakKilobytes / 1024} MB");

        var (width, height) = ResourceLimits.Default.OutputSize(6500, 6000);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        JsonElement image = results.RootElement.GetProperty("images")[0];
        Assert.Equal(6500, image.GetProperty("width").GetInt32());
        Assert.Equal(6000, image.GetProperty("height").GetInt32());
        Assert.Equal((double)width / 6500, image.GetProperty("output_scale").GetDouble(), 12);
        Assert.Equal(4, image.GetProperty("explanations").GetArrayLength());
        foreach (JsonElement explanation in image.GetProperty("explanations").EnumerateArray())
        {
            var heatmap = NpyFile.Read(Path.Combine(output, explanation.GetProperty("heatmap").GetString()!));
            Assert.Equal([height, width], heatmap.Shape);
            using var overlay = SKBitmap.Decode(Path.Combine(output, explanation.GetProperty("overlay").GetString()!));
            Assert.Equal((width, height), (overlay.Width, overlay.Height));
        }
    }

    [Fact]
    public void A_photo_within_the_output_limit_keeps_its_own_size_and_scale_one()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("explain", CatAndDog, "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        JsonElement image = results.RootElement.GetProperty("images")[0];
        Assert.Equal(1.0, image.GetProperty("output_scale").GetDouble());
        var heatmap = NpyFile.Read(Path.Combine(output, image.GetProperty("explanations")[0].GetProperty("heatmap").GetString()!));
        Assert.Equal([image.GetProperty("height").GetInt32(), image.GetProperty("width").GetInt32()], heatmap.Shape);
    }

    [Fact]
    public void An_input_size_beyond_the_activation_budget_is_refused_before_it_runs()
    {
        var run = CliProcess.RunMeasuringMemory("predict", CatAndDog, "--model", Squeezenet, "--size", "4096,4096");

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.Matches(@"^gaze: .*squeezenet1\.1-caffe2-fp16\.onnx: an input of 4096x4096 needs about [0-9.]+ GB of activations per image, "
            + @"more than the 2 GB budget; choose a smaller input size \(--size or the sidecar's input\.size\)$", line);
        // Running that input once would take several gigabytes; the estimate comes from a 512x512 probe.
        Assert.True(run.PeakKilobytes < 1024 * 1024, $"peak resident memory {run.PeakKilobytes / 1024} MB");
    }

    [Fact]
    public void The_activation_budget_option_moves_the_limit()
    {
        var refused = CliRunner.Run("--activation-budget", "64MB", "predict", CatAndDog, "--model", Squeezenet, "--size", "768,768");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("an input of 768x768 needs about", Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("more than the 64 MB budget", refused.Error);

        var admitted = CliRunner.Run("predict", CatAndDog, "--model", Squeezenet, "--size", "768,768");
        Assert.True(admitted.ExitCode == 0, admitted.Error);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("0.5MB")]
    [InlineData("lots")]
    public void A_malformed_activation_budget_is_an_option_error(string value)
    {
        var result = CliRunner.Run("--activation-budget", value, "predict", CatAndDog, "--model", Squeezenet);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--activation-budget: expected a size such as 512MB or 4GB, got '{value}'", result.Error);
    }
}
