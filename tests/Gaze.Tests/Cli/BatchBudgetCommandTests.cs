using System.Text.Json;
using Gaze.Engine;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Support;
using Gaze.Tests.Training;

namespace Gaze.Tests.Cli;

/// <summary>
/// <c>check</c>, <c>bench</c> and <c>finetune</c> fit <c>--batch</c> to the activation budget as <c>explain</c> does:
/// a larger request is reduced with one warning line. The budget is set to three images' worth, so that the reduced
/// batch is known and cheap to run.
/// </summary>
public sealed class BatchBudgetCommandTests
{
    private static string Mnist => SharedData.Require("models/mnist-cntk.onnx");

    [Fact]
    public void Check_reduces_a_batch_beyond_the_budget_with_one_warning_and_checks_the_reduced_batch()
    {
        long perImage = GraphBytesPerImage(Mnist);

        var result = CliRunner.Run(ThreeImages(perImage), "check", Mnist, "--batch", "1000", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(Warning(perImage), Assert.Single(Lines(result.Error)));
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(3, json.RootElement.GetProperty("input_shape")[0].GetInt32());
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Check_keeps_a_batch_within_the_budget_without_a_warning()
    {
        var result = CliRunner.Run(ThreeImages(GraphBytesPerImage(Mnist)), "check", Mnist, "--batch", "3", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("", result.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bench_reduces_a_batch_beyond_the_budget_with_one_warning(bool profile)
    {
        long perImage = GraphBytesPerImage(Mnist);
        string[] args = ["bench", "--model", Mnist, "--batch", "1000", "--iterations", "1", "--json", .. profile ? new[] { "--profile" } : []];

        var result = CliRunner.Run(ThreeImages(perImage), args);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(Warning(perImage), Assert.Single(Lines(result.Error)));
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(3, json.RootElement.GetProperty("batch").GetInt32());
    }

    [Fact]
    public void Finetune_reduces_a_batch_beyond_the_budget_with_one_warning_and_trains()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);
        long perImage;
        using (LoadedModel model = LoadedModel.Open(backbone)) perImage = model.ActivationBytesPerImage;

        var result = CliRunner.Run(ThreeImages(perImage), "finetune", data, "--backbone", backbone, "--out", dir.File("new.onnx"),
            "--epochs", "1", "--batch", "1000", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(Warning(perImage), Assert.Single(Lines(result.Error)));
        Assert.True(File.Exists(dir.File("new.onnx")));
    }

    private static long GraphBytesPerImage(string model)
    {
        using OnnxGraph graph = OnnxGraph.Load(model);
        return LayerTable.EstimateActivationBytes(graph, null);
    }

    private static ResourceLimits ThreeImages(long perImage) => ResourceLimits.Default with { MaxBatchActivationBytes = 3 * perImage };

    private static string Warning(long perImage) =>
        $"gaze: warning: --batch 1000 would take about {ResourceLimits.FormatBytes(1000 * perImage)} of activations, " +
        $"more than the {ResourceLimits.FormatBytes(3 * perImage)} budget; using --batch 3";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
