using System.Text.Json;
using Gaze.Attribution.Cam;
using Gaze.Datasets;
using Gaze.Evaluation;
using Gaze.Explaining;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Support;

namespace Gaze.Tests.Training;

/// <summary>The model shipped in assets/: small, accurate on unseen shapes, and its CAM finds the objects.</summary>
public sealed class ShippedModelTests
{
    private static string Model => RepositoryFiles.Require("assets/shapes-cnn.onnx");

    [Fact]
    public void Is_small_and_described_by_its_sidecar()
    {
        Assert.True(new FileInfo(Model).Length <= 2 * 1024 * 1024, "the shipped model must stay within 2 MB");
        ModelMetadata metadata = ModelMetadataReader.ReadFor(Model);
        Assert.Equal(ShapeClassNames.AllNames, metadata.Labels);
        Assert.Equal("features", metadata.CamLayer);
    }

    /// <summary>
    /// 1,000 fresh images from generator seed 1000 (training used seeds 1 and 2): at least 97 % accuracy, and CAM's
    /// maximum inside the object's box on at least 90 % (the issue's acceptance figures).
    /// </summary>
    [Fact]
    public void Reaches_the_accuracy_and_pointing_game_of_the_issue_on_fresh_images()
    {
        using LoadedModel model = LoadedModel.Open(Model);
        using var evaluation = new EvaluationRun(model, [MethodRegistry.Default.Get("cam")], [model.Metadata.CamLayer!],
            new EvaluationOptions { Metrics = [EvaluationMetrics.Pointing], Tolerance = 0 });
        EvaluationResult result = evaluation.Run(ImageSet.Generated(new ShapesGenerator(1000), 1000, model.Labels!));
        Assert.Equal(1000, result.Images);
        Assert.True(result.Accuracy >= 0.97, $"accuracy {result.Accuracy:P1}");
        double pointing = result.Methods[0].Figures[EvaluationMetrics.PointingFigure];
        Assert.True(pointing >= 0.90, $"pointing game {pointing:P1}");
    }

    [Fact]
    public void Demo_explains_the_samples_and_writes_the_report()
    {
        using var dir = new TempDirectory();
        string output = dir.File("demo");
        var result = CliRunner.Run("demo", "--out", output, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var images = document.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(8, images.Count);
        int right = 0;
        foreach (var image in images)
        {
            Assert.Equal(3, image.GetProperty("explanations").GetArrayLength());
            // The sample files are named after their class.
            string expected = Path.GetFileNameWithoutExtension(image.GetProperty("path").GetString()!);
            if (image.GetProperty("predictions")[0].GetProperty("label").GetString() == expected) right++;
        }
        Assert.True(right >= 7, $"{right} of 8 samples classified right");
    }
}
