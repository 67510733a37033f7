using System.Diagnostics;
using System.Text.Json;
using Gaze.Tests.Support;

namespace Gaze.Tests.Training;

/// <summary>A fine-tuning process killed outright (not cancelled) resumes from the checkpoint it left.</summary>
public sealed class FinetuneKillTests
{
    [Fact]
    public void A_killed_run_resumes_from_its_last_checkpoint()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 96);
        string output = dir.File("killed.onnx");
        string[] job = ["finetune", data, "--backbone", backbone, "--out", output, "--epochs", "5000", "--unfreeze-last", "1", "--batch", "8", "--seed", "3"];

        // The CLI next to the test binaries, in a process of its own, so that it can be killed mid-epoch.
        using var process = CliProcess.Start(job);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        string state = Path.Combine(output + ".checkpoint", "checkpoint.json");
        var clock = Stopwatch.StartNew();
        int checkpointed = 0;
        while (checkpointed < 2 && clock.Elapsed < TimeSpan.FromMinutes(3) && !process.HasExited)
        {
            Thread.Sleep(100);
            try
            {
                if (File.Exists(state)) checkpointed = JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("epoch").GetInt32();
            }
            catch (IOException) { }
            catch (JsonException) { }
        }
        Assert.False(process.HasExited, "the run ended before it could be killed");
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        Assert.False(File.Exists(output));
        int before = JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("epoch").GetInt32();
        Assert.True(before >= 2);

        // Fewer epochs keep the test short; --epochs is the one option a resume may change.
        int epochs = before + 1;
        var resumed = CliRunner.Run([.. job[..6], "--epochs", epochs.ToString(), "--unfreeze-last", "1", "--batch", "8", "--seed", "3", "--resume", "--json"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        using var summary = JsonDocument.Parse(resumed.Output);
        Assert.Equal(before, summary.RootElement.GetProperty("resumed_after_epoch").GetInt32());
        Assert.True(File.Exists(output));
        Assert.False(Directory.Exists(output + ".checkpoint"));
    }
}
