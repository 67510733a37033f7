using System.Diagnostics;
using System.Text.Json;
using Gaze.Tests.Reporting;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM during <c>gaze explain</c>, in a child process of its own: the run stops after the current
/// batch, writes what is finished marked incomplete, removes its temporary files and exits 130 or 143.
/// </summary>
public sealed class InterruptionTests
{
    private const int Copies = 400;

    [Fact]
    public void Sigint_keeps_the_finished_images_marks_the_results_incomplete_and_overwrite_then_completes_them()
    {
        using var dir = new TempDirectory();
        string images = CopySamples(dir);
        string output = dir.File("out");

        var (exit, error) = ExplainAndSignal(images, output, "-INT");

        Assert.True(exit == 130, error);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Matches($"^gaze: interrupted after [0-9]+ of {Copies} images; partial results in ", lines[0]);
        using (var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))))
        {
            JsonElement root = document.RootElement;
            Assert.Empty(ResultsSchema.Problems(root));
            Assert.False(root.GetProperty("complete").GetBoolean());
            int left = root.GetProperty("images_left").GetInt32();
            int finished = root.GetProperty("images").GetArrayLength();
            Assert.True(left > 0 && finished > 0, $"{finished} finished, {left} left");
            Assert.Equal(Copies, finished + left);
            Assert.Contains($"after {finished} of {Copies}", lines[0]);
            foreach (string path in ResultsSchema.Paths(root).Skip(1))
                Assert.True(File.Exists(Path.Combine(output, path)), $"missing {path}");
        }
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        AssertNoTemporaryFiles(output);

        var rerun = CliRunner.Run("explain", images, "--out", output, "--overwrite", "--batch", "8");
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        using var complete = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.True(complete.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal(0, complete.RootElement.GetProperty("images_left").GetInt32());
        Assert.Equal(Copies, complete.RootElement.GetProperty("images").GetArrayLength());
        AssertNoTemporaryFiles(output);
    }

    [Fact]
    public void Sigterm_stops_the_run_the_same_way_with_exit_code_143()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");

        var (exit, error) = ExplainAndSignal(CopySamples(dir), output, "-TERM");

        Assert.True(exit == 143, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.False(document.RootElement.GetProperty("complete").GetBoolean());
        AssertNoTemporaryFiles(output);
    }

    [Fact]
    public void A_second_sigint_ends_the_run_at_once_without_temporary_files()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");

        var (exit, error) = ExplainAndSignal(CopySamples(dir), output, "-INT", twice: true);

        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.StartsWith("gaze: interrupted", error);
        AssertNoTemporaryFiles(output);
    }

    private static string CopySamples(TempDirectory dir)
    {
        string images = dir.File("images");
        Directory.CreateDirectory(images);
        string sample = RepositoryFiles.Require("assets/samples/circle.png");
        for (int i = 0; i < Copies; i++) File.Copy(sample, Path.Combine(images, $"circle-{i:D4}.png"));
        return images;
    }

    /// <summary>Starts <c>gaze explain</c> in a child process, signals it once some images are written, and waits.</summary>
    private static (int ExitCode, string Error) ExplainAndSignal(string images, string output, string signal, bool twice = false)
    {
        using var process = CliProcess.Start("explain", images, "--out", output);
        var error = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (error) error.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2) && ImageFolders(output) < 5) Thread.Sleep(50);
        Assert.False(process.HasExited, "the run ended before it could be interrupted");
        Signal(process.Id, signal);
        if (twice) Signal(process.Id, signal);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the run did not stop");
        process.WaitForExit();
        lock (error) return (process.ExitCode, error.ToString());
    }

    private static int ImageFolders(string output) =>
        Directory.Exists(output) ? Directory.EnumerateDirectories(output).Count(d => !Path.GetFileName(d).StartsWith('.')) : 0;

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString()]);
        kill.WaitForExit();
    }

    private static void AssertNoTemporaryFiles(string output)
    {
        Assert.False(Directory.Exists(Path.Combine(output, ".report-pictures")));
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
    }
}
