using Gaze.IO;
using Gaze.Tests.Imaging;
using Gaze.Tests.Support;

namespace Gaze.Tests.IO;

/// <summary>
/// Models, sidecars, labels and heatmaps that are pipes, devices, directories or oversized are refused in one line
/// before they are opened or read, instead of blocking forever or being read whole.
/// </summary>
public sealed class SuppliedFileTests
{
    private static string Mnist => SharedData.Require("models/mnist-cntk.onnx");
    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");

    [Fact]
    public void A_regular_file_within_the_limit_and_a_missing_file_have_no_problem()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.json"), "{}");
        Assert.Null(SuppliedFile.Problem(dir.File("a.json"), 2, "a sidecar file"));
        Assert.Null(SuppliedFile.Problem(dir.File("missing.json"), 2, "a sidecar file"));
    }

    [Fact]
    public void Pipes_devices_directories_and_oversized_files_are_named_for_what_they_are()
    {
        using var dir = new TempDirectory();
        ImageLimitTests.MakeFifo(dir.File("pipe"));
        using (var sparse = new FileStream(dir.File("big.json"), FileMode.CreateNew)) sparse.SetLength(3L << 20);

        Assert.Equal("is a FIFO (named pipe), not a sidecar file", SuppliedFile.Problem(dir.File("pipe"), 100, "a sidecar file"));
        Assert.Equal("is a character device, not a sidecar file", SuppliedFile.Problem("/dev/zero", 100, "a sidecar file"));
        Assert.Equal("is a directory, not a sidecar file", SuppliedFile.Problem(dir.Path, 100, "a sidecar file"));
        Assert.Equal("is 3 MB, more than the 1 MB a sidecar file may have",
            SuppliedFile.Problem(dir.File("big.json"), SuppliedFile.MaxSidecarBytes, "a sidecar file"));
    }

    [Fact]
    public void A_fifo_as_model_sidecar_labels_or_heatmap_exits_two_at_once_naming_it()
    {
        using var dir = new TempDirectory();
        string pipeModel = dir.File("pipe.onnx");
        ImageLimitTests.MakeFifo(pipeModel);
        string pipeSidecarModel = CopyModel(dir, "sidecar");
        ImageLimitTests.MakeFifo(dir.File("sidecar.gaze.json"));
        string pipeLabelsModel = CopyModel(dir, "labels");
        File.WriteAllText(dir.File("labels.gaze.json"), """{ "labels": "labels.txt" }""");
        ImageLimitTests.MakeFifo(dir.File("labels.txt"));
        string pipeHeatmap = dir.File("heatmap.npy");
        ImageLimitTests.MakeFifo(pipeHeatmap);

        AssertRefused(["check", pipeModel], $"gaze: {pipeModel}: is a FIFO (named pipe), not a model file");
        AssertRefused(["predict", CatAndDog, "--model", pipeModel], $"gaze: {pipeModel}: is a FIFO (named pipe), not a model file");
        AssertRefused(["predict", CatAndDog, "--model", pipeSidecarModel],
            $"gaze: {dir.File("sidecar.gaze.json")}: is a FIFO (named pipe), not a sidecar file");
        AssertRefused(["predict", CatAndDog, "--model", pipeLabelsModel],
            $"gaze: {dir.File("labels.gaze.json")}: labels: {dir.File("labels.txt")} is a FIFO (named pipe), not a labels file");
        AssertRefused(["overlay", CatAndDog, pipeHeatmap, "--out", dir.File("overlay.png")],
            $"gaze: {pipeHeatmap}: is a FIFO (named pipe), not a .npy file");
        Assert.False(File.Exists(dir.File("overlay.png")));
    }

    [Fact]
    public void An_oversized_sidecar_is_refused_unread()
    {
        using var dir = new TempDirectory();
        string model = CopyModel(dir, "big");
        using (var sparse = new FileStream(dir.File("big.gaze.json"), FileMode.CreateNew)) sparse.SetLength(1L << 30);
        AssertRefused(["predict", CatAndDog, "--model", model],
            $"gaze: {dir.File("big.gaze.json")}: is 1 GB, more than the 1 MB a sidecar file may have");
    }

    private static string CopyModel(TempDirectory dir, string name)
    {
        string path = dir.File(name + ".onnx");
        File.Copy(Mnist, path);
        return path;
    }

    /// <summary>Runs the CLI with a deadline, so that a regression that blocks on a pipe fails instead of hanging.</summary>
    private static void AssertRefused(string[] args, string line)
    {
        var run = Task.Run(() => CliRunner.Run(args));
        Assert.True(run.Wait(TimeSpan.FromSeconds(30)), $"gaze {string.Join(' ', args)} did not return");
        Assert.Equal(2, run.Result.ExitCode);
        Assert.Equal([line], run.Result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
