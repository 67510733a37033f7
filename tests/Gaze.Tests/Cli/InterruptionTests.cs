using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gaze.Tests.Reporting;
using Gaze.Tests.Support;
using Xunit.Abstractions;

namespace Gaze.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM during <c>gaze explain</c> over 1,000 images, in a child process of its own: the run stops after
/// the current batch, writes what is finished marked incomplete, removes its temporary files and exits 130 or 143;
/// <c>--overwrite</c> then reruns it cleanly.
/// </summary>
[Collection(SignalCollection.Name)]
public sealed class InterruptionTests(SampleCopies samples, ITestOutputHelper log)
{
    private const int Count = SampleCopies.Count;

    [Fact]
    public void Sigint_after_half_of_1000_images_keeps_the_finished_ones_marks_the_results_incomplete_and_overwrite_completes_them()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDirectory();
        string output = dir.File("out");

        using (var run = SignalledCli.Start("explain", samples.Folder, "--out", output, "--batch", "8"))
        {
            run.WaitUntil(() => ImageFolders(output) >= Count / 2, $"{Count / 2} images were explained", TimeSpan.FromMinutes(3));
            run.Signal(PosixSignal.SIGINT);
            var (exit, _, error) = run.WaitForExit();

            Assert.True(exit == 130, $"exit {exit}: {error}");
            string line = Assert.Single(Lines(error));
            Assert.Matches($"^gaze: interrupted after [0-9]+ of {Count} images; partial results in ", line);
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
            JsonElement root = document.RootElement;
            Assert.Empty(ResultsSchema.Problems(root));
            Assert.False(root.GetProperty("complete").GetBoolean());
            int left = root.GetProperty("images_left").GetInt32();
            int finished = root.GetProperty("images").GetArrayLength();
            Assert.True(left > 0 && finished >= Count / 2, $"{finished} finished, {left} left");
            Assert.Equal(Count, finished + left);
            Assert.Contains($"after {finished} of {Count}", line);
            foreach (string path in ResultsSchema.Paths(root).Skip(1))
                Assert.True(File.Exists(Path.Combine(output, path)), $"missing {path}");
            Assert.Equal(finished, ImageFolders(output));
        }
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        AssertNoTemporaryFiles(output);
        log.WriteLine($"interrupted after {clock.Elapsed.TotalSeconds:F1} s");

        var rerun = CliRunner.Run("explain", samples.Folder, "--out", output, "--overwrite", "--batch", "8");
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        using var complete = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.Empty(ResultsSchema.Problems(complete.RootElement));
        Assert.True(complete.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal(0, complete.RootElement.GetProperty("images_left").GetInt32());
        Assert.Equal(Count, complete.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(Count, ImageFolders(output));
        AssertNoTemporaryFiles(output);
        log.WriteLine($"interrupted and rerun in {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Sigterm_stops_the_run_the_same_way_with_exit_code_143()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");

        var (exit, error) = ExplainAndSignal(output, PosixSignal.SIGTERM);

        Assert.True(exit == 143, $"exit {exit}: {error}");
        Assert.Matches($"^gaze: interrupted after [0-9]+ of {Count} images; partial results in ", Assert.Single(Lines(error)));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.Empty(ResultsSchema.Problems(document.RootElement));
        Assert.False(document.RootElement.GetProperty("complete").GetBoolean());
        AssertNoTemporaryFiles(output);
    }

    [Fact]
    public void A_second_sigint_ends_the_run_at_once_without_temporary_files()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");

        var (exit, error) = ExplainAndSignal(output, PosixSignal.SIGINT, twice: true);

        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.StartsWith("gaze: interrupted", error);
        AssertNoTemporaryFiles(output);
    }

    /// <summary>Starts <c>gaze explain</c> in a child process, signals it once some images are written, and waits.</summary>
    private (int ExitCode, string Error) ExplainAndSignal(string output, PosixSignal signal, bool twice = false)
    {
        using var run = SignalledCli.Start("explain", samples.Folder, "--out", output);
        run.WaitUntil(() => ImageFolders(output) >= 5, "5 images were explained");
        run.Signal(signal);
        if (twice) run.Signal(signal);
        var (exit, _, error) = run.WaitForExit(TimeSpan.FromMinutes(1));
        return (exit, error);
    }

    private static int ImageFolders(string output) =>
        Directory.Exists(output) ? Directory.EnumerateDirectories(output).Count(d => !Path.GetFileName(d).StartsWith('.')) : 0;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertNoTemporaryFiles(string output)
    {
        Assert.False(Directory.Exists(Path.Combine(output, ".report-pictures")));
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
    }
}
