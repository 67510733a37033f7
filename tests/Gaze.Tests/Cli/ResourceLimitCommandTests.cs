using System.Diagnostics;
using System.Text.Json;
using Gaze.Engine;
using Gaze.IO;
using Gaze.Tests.Imaging;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary>Hostile inputs on the command line: one line and exit 2, or one warning and a run within limits.</summary>
public sealed class ResourceLimitCommandTests
{
    private static string Mnist => SharedData.Require("models/mnist-cntk.onnx");
    private static string Squeezenet => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");
    private static string Puppy => SharedData.Require("images/puppy-and-kitten.jfif");

    [Theory]
    [MemberData(nameof(ImageLimitTests.Bombs), MemberType = typeof(ImageLimitTests))]
    public void A_decompression_bomb_exits_two_with_one_line_naming_the_file_and_its_size(string extension, int side)
    {
        using var dir = new TempDirectory();
        string bomb = ImageLimitTests.WriteBomb(dir, extension, side);
        var result = CliRunner.Run("predict", bomb, "--model", Mnist);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gaze: {bomb}: image declares {side}x{side} pixels", line);
    }

    [Fact]
    public void Max_pixels_lowers_the_limit_for_every_image()
    {
        var result = CliRunner.Run("--max-pixels", "1000", "predict", CatAndDog, "--model", Mnist);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{CatAndDog}: image declares", line);
        Assert.EndsWith("more than the limit of 1,000 pixels", line);
    }

    [Fact]
    public void Bombs_keep_the_process_under_two_gigabytes()
    {
        using var dir = new TempDirectory();
        var bombs = ImageLimitTests.Bombs.Select(row => ImageLimitTests.WriteBomb(dir, (string)row[0], (int)row[1])).ToList();

        // Its own process, so that its peak resident memory is the CLI's alone.
        var run = CliProcess.RunMeasuringMemory(["predict", .. bombs, "--model", Mnist]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(bombs.Count, run.ErrorLines.Count(l => l.Contains("image declares", StringComparison.Ordinal)));
        Assert.True(run.PeakKilobytes > 0, "the process ended before its memory could be read");
        Assert.True(run.PeakKilobytes < 2L * 1024 * 1024, $"peak resident memory {run.PeakKilobytes / 1024} MB");
    }

    [Fact]
    public void A_fifo_and_a_device_exit_two_at_once()
    {
        using var dir = new TempDirectory();
        string fifo = dir.File("x.png");
        ImageLimitTests.MakeFifo(fifo);
        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run("predict", fifo, "/dev/zero", "--model", Mnist);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [$"gaze: {fifo}: is a FIFO (named pipe), not an image file", "gaze: /dev/zero: is a character device, not an image file"],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_large_non_image_exits_two_after_its_first_bytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("zeros.png");
        using (var file = new FileStream(path, FileMode.CreateNew)) file.Write(new byte[50 * 1024 * 1024]);
        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run("explain", path, "--out", dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"gaze: {path}: not a supported image", result.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("5000,5000")]
    [InlineData("224,4097")]
    public void An_input_size_over_4096_is_refused_naming_the_option(string size)
    {
        var result = CliRunner.Run("predict", CatAndDog, "--model", Mnist, "--size", size);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("gaze: --size: height and width must be 1 to 4096 pixels", line);
    }

    [Fact]
    public void A_sidecar_size_over_4096_is_refused_naming_the_field()
    {
        using var dir = new TempDirectory();
        string model = dir.File("mnist.onnx");
        File.Copy(Mnist, model);
        File.WriteAllText(dir.File("mnist.gaze.json"), """{ "input": { "size": [8000, 8000], "channels": "GRAY", "range": 255, "mean": [0], "std": [1] } }""");
        var result = CliRunner.Run("predict", CatAndDog, "--model", model);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("input.size: height and width must be 1 to 4096 pixels, got [8000, 8000]", line);
    }

    [Fact]
    public void Too_many_threads_are_reduced_with_one_warning()
    {
        var result = CliRunner.Run("--threads", "1000", "predict", CatAndDog, "--model", Mnist, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        int processors = Environment.ProcessorCount;
        Assert.Equal($"gaze: warning: --threads 1000 is more than the {processors} processors; using {processors}", line);
        Assert.Equal(processors, EngineSettings.Threads);
    }

    [Fact]
    public void A_huge_batch_is_reduced_with_one_warning_and_explains_the_same()
    {
        using var dir = new TempDirectory();
        var huge = CliRunner.Run("explain", CatAndDog, Puppy, "--model", Squeezenet, "--batch", "100000", "--out", dir.File("huge"));
        Assert.True(huge.ExitCode == 0, huge.Error);
        string warning = Assert.Single(huge.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^gaze: warning: --batch 100000 would take about .* of activations, more than the 2 GB budget; using --batch \d+$", warning);
        var single = CliRunner.Run("explain", CatAndDog, Puppy, "--model", Squeezenet, "--batch", "1", "--out", dir.File("single"));
        Assert.True(single.ExitCode == 0, single.Error);
        Assert.Equal("", single.Error);

        using var hugeResults = JsonDocument.Parse(File.ReadAllText(dir.File("huge/results.json")));
        using var singleResults = JsonDocument.Parse(File.ReadAllText(dir.File("single/results.json")));
        var hugeImages = hugeResults.RootElement.GetProperty("images").EnumerateArray().ToList();
        var singleImages = singleResults.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, hugeImages.Count);
        for (int i = 0; i < 2; i++)
        {
            var a = hugeImages[i].GetProperty("predictions").EnumerateArray().ToList();
            var b = singleImages[i].GetProperty("predictions").EnumerateArray().ToList();
            Assert.Equal(b.Select(p => p.GetProperty("index").GetInt32()), a.Select(p => p.GetProperty("index").GetInt32()));
            for (int k = 0; k < a.Count; k++)
                Assert.Equal(b[k].GetProperty("probability").GetDouble(), a[k].GetProperty("probability").GetDouble(), 1e-4);
            float[] hugeMap = NpyFile.Read(Path.Combine(dir.File("huge"), hugeImages[i].GetProperty("explanations")[0].GetProperty("heatmap").GetString()!)).Data;
            float[] singleMap = NpyFile.Read(Path.Combine(dir.File("single"), singleImages[i].GetProperty("explanations")[0].GetProperty("heatmap").GetString()!)).Data;
            Assert.Equal(singleMap.Length, hugeMap.Length);
            Assert.True(singleMap.Zip(hugeMap).Max(p => Math.Abs(p.First - p.Second)) < 1e-3);
        }
    }
}
