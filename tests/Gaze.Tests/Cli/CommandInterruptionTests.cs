using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM during the commands other than <c>explain</c>, each in a child process of its own: every one
/// ends with one line on standard error and exit 130 (143 for SIGTERM), never silently by the signal. Those that can
/// run long stop at their next safe point: <c>shapes</c> removes its incomplete data set, <c>predict</c> prints the
/// images it finished, <c>bench</c>, <c>check</c> and <c>train-shapes</c> print no partial result.
/// </summary>
[Collection(SignalCollection.Name)]
public sealed class CommandInterruptionTests(SampleCopies samples)
{
    private static string ShapesModel => RepositoryFiles.Require("assets/shapes-cnn.onnx");

    [Fact]
    public void Shapes_stops_at_once_while_its_parallel_writer_runs_and_removes_the_incomplete_data_set()
    {
        using var dir = new TempDirectory();
        string output = dir.File("shapes");
        using var run = SignalledCli.Start("shapes", "--count", "1000000", "--out", output);
        run.WaitUntil(() => Directory.Exists(output) && Directory.EnumerateFiles(output, "*.png", SearchOption.AllDirectories).Count() >= 40,
            "20 images were written");

        run.Signal(PosixSignal.SIGINT);
        var (exit, stdout, error) = run.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exit == 130, $"exit {exit}: {error}");
        Match line = Regex.Match(Assert.Single(Lines(error)), "^gaze: interrupted after ([0-9]+) of 1000000 images; removed the incomplete data set (.+)$");
        Assert.True(line.Success, error);
        Assert.InRange(int.Parse(line.Groups[1].Value), 20, 999_999);
        Assert.Equal(output, line.Groups[2].Value);
        Assert.False(Directory.Exists(output));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Predict_prints_the_finished_images_as_tables_and_exits_130()
    {
        using var dir = new TempDirectory();
        var (first, bad) = MarkedImages(dir);
        using var run = SignalledCli.Start("predict", first, bad, samples.Folder, "--model", ShapesModel);
        run.WaitUntil(() => run.Error.Contains("broken.png", StringComparison.Ordinal), "the unreadable image was reported");

        run.Signal(PosixSignal.SIGINT);
        var (exit, stdout, error) = run.WaitForExit();

        Assert.True(exit == 130, $"exit {exit}: {error}");
        string[] lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.Contains("broken.png", lines[0]);
        int finished = FinishedOf(lines[1], Total);
        Assert.InRange(finished, FirstImages + 1, Total - 1);
        // One table per classified image (the unreadable one has none), each with its header row.
        Assert.Equal(finished - 1, Regex.Matches(stdout, "probability").Count);
    }

    [Fact]
    public void Predict_json_marks_the_finished_images_incomplete_with_the_count_left_and_sigterm_exits_143()
    {
        using var dir = new TempDirectory();
        var (first, bad) = MarkedImages(dir);
        using var run = SignalledCli.Start("predict", first, bad, samples.Folder, "--model", ShapesModel, "--json");
        run.WaitUntil(() => run.Error.Contains("broken.png", StringComparison.Ordinal), "the unreadable image was reported");

        run.Signal(PosixSignal.SIGTERM);
        var (exit, stdout, error) = run.WaitForExit();

        Assert.True(exit == 143, $"exit {exit}: {error}");
        int finished = FinishedOf(Lines(error)[^1], Total);
        using var json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("complete").GetBoolean());
        Assert.Equal(Total - finished, root.GetProperty("images_left").GetInt32());
        JsonElement[] images = [.. root.GetProperty("images").EnumerateArray()];
        Assert.Equal(finished, images.Length);
        Assert.InRange(finished, FirstImages + 1, Total - 1);
        Assert.All(images.Take(FirstImages), image => Assert.Equal(5, image.GetProperty("predictions").GetArrayLength()));
        Assert.EndsWith("broken.png", images[FirstImages].GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.String, images[FirstImages].GetProperty("error").ValueKind);
    }

    [Fact]
    public void Bench_stops_before_its_next_timed_pass_with_one_line_and_no_json()
    {
        using var run = SignalledCli.Start("bench", "--model", ShapesModel, "--iterations", "100000", "--json");
        run.WaitUntil(() => run.EngineLoaded, "the engine was loaded");

        run.Signal(PosixSignal.SIGINT);
        var (exit, stdout, error) = run.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.Equal("gaze: interrupted", Assert.Single(Lines(error)));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Check_stops_between_its_passes_with_one_line_and_no_json()
    {
        // ResNet-18 at 512x512 takes long enough (about a second here) for the signal to arrive mid-check.
        using var run = SignalledCli.Start("check", SharedData.Require("models/resnet18-random.onnx"), "--size", "512", "--json");
        run.WaitUntil(() => run.EngineLoaded, "the engine was loaded");

        run.Signal(PosixSignal.SIGTERM);
        var (exit, stdout, error) = run.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exit == 143, $"exit {exit}: {error}");
        Assert.Equal("gaze: interrupted", Assert.Single(Lines(error)));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Train_shapes_stops_before_its_next_step_and_writes_no_model()
    {
        using var dir = new TempDirectory();
        string model = dir.File("shapes.onnx");
        using var run = SignalledCli.Start("train-shapes", "--out", model, "--images", "1000", "--epochs", "1000");
        run.WaitUntil(() => run.EngineLoaded, "the engine was loaded");

        run.Signal(PosixSignal.SIGINT);
        var (exit, _, error) = run.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.Matches("^gaze: interrupted after [0-9]+ of 1000 epochs; no model written$", Lines(error)[^1]);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(dir.File("shapes.gaze.json")));
    }

    [Fact]
    public void A_command_that_does_not_observe_the_signal_still_ends_with_one_line_and_its_exit_code()
    {
        // layers prints more than a pipe holds; left unread, its output keeps the process from ending before the
        // signal, wherever in the command the signal finds it.
        using var run = SignalledCli.StartWithOutputUnread("layers", SharedData.Require("models/efficientnet_b0-random.onnx"));
        run.WaitUntil(() => run.EngineLoaded, "the engine was loaded");

        run.Signal(PosixSignal.SIGTERM);
        run.ReadOutput();
        var (exit, _, error) = run.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exit == 143, $"exit {exit}: {error}");
        Assert.Equal("gaze: interrupted", Assert.Single(Lines(error)));
    }

    /// <summary>Images classified before the marker (the unreadable image), so that some are finished when it appears.</summary>
    private const int FirstImages = 20;

    private static int Total => FirstImages + 1 + SampleCopies.Count;

    /// <summary>
    /// A folder of <see cref="FirstImages"/> samples and an unreadable image: given before the 1,000 copies, the
    /// unreadable one's error line tells the test that the first ones are classified and the copies are under way.
    /// </summary>
    private static (string First, string Bad) MarkedImages(TempDirectory dir)
    {
        string first = dir.File("first");
        Directory.CreateDirectory(first);
        string sample = RepositoryFiles.Require("assets/samples/square.png");
        for (int i = 0; i < FirstImages; i++) File.Copy(sample, Path.Combine(first, $"square-{i:D2}.png"));
        string bad = dir.File("broken.png");
        File.WriteAllText(bad, "not an image");
        return (first, bad);
    }

    /// <summary>N from the line <c>gaze: interrupted after N of M images</c>, checking M.</summary>
    private static int FinishedOf(string line, int total)
    {
        Match match = Regex.Match(line, $"^gaze: interrupted after ([0-9]+) of {total} images$");
        Assert.True(match.Success, line);
        return int.Parse(match.Groups[1].Value);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
