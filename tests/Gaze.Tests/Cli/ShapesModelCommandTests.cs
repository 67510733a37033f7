using System.Text.Json;
using Gaze.Models;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary><c>gaze shapes</c>, <c>gaze train-shapes</c> and <c>gaze evaluate</c> end to end, on small runs.</summary>
public sealed class ShapesModelCommandTests
{
    [Fact]
    public void Shapes_writes_an_image_folder_tree_with_annotations()
    {
        using var dir = new TempDirectory();
        string output = dir.File("set");
        var result = CliRunner.Run("shapes", "--count", "12", "--seed", "5", "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);
        using var annotations = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "annotations.json")));
        var images = annotations.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(12, images.Count);
        foreach (var image in images)
        {
            string file = image.GetProperty("file").GetString()!;
            Assert.StartsWith(image.GetProperty("class").GetString()! + "/", file);
            Assert.True(File.Exists(Path.Combine(output, file)));
            Assert.True(File.Exists(Path.Combine(output, image.GetProperty("mask").GetString()!)));
        }
        Assert.Equal(2, CliRunner.Run("shapes", "--count", "0", "--out", dir.File("other")).ExitCode);
    }

    [Fact]
    public void A_trained_model_carries_its_sidecar_passes_the_check_and_explains_with_cam()
    {
        using var dir = new TempDirectory();
        string model = dir.File("tiny.onnx");
        var trained = CliRunner.Run("train-shapes", "--out", model, "--images", "64", "--epochs", "1", "--size", "32", "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        ModelMetadata metadata = ModelMetadataReader.ReadFor(model);
        Assert.Equal(["circle", "cross", "heart", "hexagon", "ring", "square", "star", "triangle"], metadata.Labels);
        Assert.Equal("features", metadata.CamLayer);
        Assert.Equal(32, metadata.Input!.Size.Height);

        Assert.Equal(0, CliRunner.Run("check", model).ExitCode);
        string samples = dir.File("samples");
        Assert.Equal(0, CliRunner.Run("shapes", "--count", "4", "--seed", "9", "--out", samples).ExitCode);
        string[] classFolders = Directory.GetDirectories(samples).Where(d => Path.GetFileName(d) != "masks" && Directory.EnumerateFiles(d).Any()).ToArray();
        var explained = CliRunner.Run(["explain", .. classFolders, "--model", model, "--method", "cam,gradcam", "--out", dir.File("out")]);
        Assert.True(explained.ExitCode == 0, explained.Error);

        var evaluated = CliRunner.Run("evaluate", samples, "--model", model, "--out", dir.File("evaluation"), "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        using var report = JsonDocument.Parse(evaluated.Output);
        Assert.Equal(4, report.RootElement.GetProperty("images").GetInt32());
        Assert.InRange(report.RootElement.GetProperty("accuracy").GetDouble(), 0, 1);
    }

    [Theory]
    [InlineData(new[] { "train-shapes", "--out", "model.txt" }, "--out")]
    [InlineData(new[] { "train-shapes", "--out", "m.onnx", "--size", "30" }, "--size")]
    [InlineData(new[] { "evaluate", "no-such-folder" }, "no-such-folder")]
    public void Bad_arguments_give_one_line(string[] args, string named)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
