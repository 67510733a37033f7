using System.Diagnostics;
using System.Text.Json;
using Gaze.Datasets;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Support;
using Xunit.Abstractions;

namespace Gaze.Tests.Training;

/// <summary>
/// The acceptance run: SqueezeNet 1.1 (float16) fine-tuned, head only, for 3 epochs on 600 generated shape
/// images reaches at least 90% validation accuracy, and the written model passes <c>gaze check</c> and explains with
/// <c>cam</c>.
/// </summary>
public sealed class FinetuneSqueezeNetTests(ITestOutputHelper output)
{
    [Fact]
    public void Three_head_only_epochs_on_six_hundred_shapes_reach_ninety_percent_and_the_model_checks_and_explains()
    {
        using var dir = new TempDirectory();
        string backbone = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        string data = dir.File("shapes");
        ShapesDataset.Write(data, 600, seed: 7);
        string model = dir.File("shapes-squeezenet.onnx");

        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--epochs", "3", "--out", model, "--json");
        clock.Stop();

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        double accuracy = json.RootElement.GetProperty("validation_accuracy").GetDouble();
        output.WriteLine($"validation accuracy {accuracy:P1} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(accuracy >= 0.9, $"validation accuracy {accuracy:P1}");
        Assert.Equal(120, json.RootElement.GetProperty("validation_images").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal("fire9/concat_1", json.RootElement.GetProperty("layer").GetString());
        Assert.False(Directory.Exists(model + ".checkpoint"));

        // The head is stored in the backbone's float16, so ONNX Runtime accepts the file and agrees with Gaze.
        var head = OnnxModelReader.Read(model).Graph.Initializer.Single(t => t.Name == "head.weight");
        Assert.Equal((int)TensorProto.Types.DataType.Float16, head.DataType);
        var check = CliRunner.Run("check", model, "--json");
        Assert.True(check.ExitCode == 0, check.Output + check.Error);

        var metadata = ModelMetadataReader.ReadFor(model);
        Assert.Equal(ShapeClassNames.AllNames.Order(StringComparer.Ordinal), metadata.Labels);
        Assert.Equal(ModelMetadataReader.ReadFor(backbone).Input, metadata.Input);
        Assert.Equal("fire9/concat_1", metadata.CamLayer);

        // CAM explains it, and the class it explains is the image's own.
        string star = Directory.GetFiles(Path.Combine(data, "star")).Order(StringComparer.Ordinal).First();
        string heart = Directory.GetFiles(Path.Combine(data, "heart")).Order(StringComparer.Ordinal).First();
        string explained = dir.File("explained");
        var explain = CliRunner.Run("explain", star, heart, "--model", model, "--method", "cam", "--out", explained);
        Assert.True(explain.ExitCode == 0, explain.Output + explain.Error);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(explained, "results.json")));
        var labels = results.RootElement.GetProperty("images").EnumerateArray()
            .Select(i => i.GetProperty("explanations")[0].GetProperty("label").GetString()).ToList();
        Assert.Equal(["star", "heart"], labels);
        Assert.Equal(2, Directory.GetFiles(explained, "cam-*-heatmap.npy", SearchOption.AllDirectories).Length);
    }
}
