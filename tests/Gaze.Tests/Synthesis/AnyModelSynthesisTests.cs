using System.Text.Json;
using Gaze.Tests.Support;

namespace Gaze.Tests.Synthesis;

/// <summary>The synthesis commands on other architectures: random-weight ResNet-18 and MobileNetV2, and the built-in shapes CNN.</summary>
public sealed class AnyModelSynthesisTests
{
    [Theory]
    [InlineData("models/resnet18-random.onnx")]
    [InlineData("models/mobilenet_v2-random.onnx")]
    public void Fooling_and_class_visualisation_run_on_torchvision_architectures(string model)
    {
        using var dir = new TempDirectory();
        string path = SharedData.Require(model);
        var fool = CliRunner.Run("--json", "fool", SharedData.Require("images/cat-and-dog.png"), "--model", path, "--untargeted", "--out", Path.Combine(dir.Path, "fool"));
        Assert.True(fool.ExitCode is 0 or 3, fool.Error);
        using (JsonDocument document = JsonDocument.Parse(fool.Output))
        {
            Assert.Equal(fool.ExitCode == 0, document.RootElement.GetProperty("fooled").GetBoolean());
        }
        var visualize = CliRunner.Run("--json", "visualize", "--model", path, "--target", "5", "--iterations", "5", "--out", Path.Combine(dir.Path, "visualize"));
        Assert.Equal(0, visualize.ExitCode);
        using JsonDocument trace = JsonDocument.Parse(visualize.Output);
        Assert.Equal(5, trace.RootElement.GetProperty("trace").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(dir.Path, "visualize", "result.png")));
    }

    [Fact]
    public void The_shapes_model_visualises_a_star_at_90_percent()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("--json", "visualize", "--target", "star", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement best = document.RootElement.GetProperty("prediction")[0];
        Assert.Equal("star", best.GetProperty("label").GetString());
        Assert.True(best.GetProperty("probability").GetDouble() >= 0.9, $"p(star) = {best.GetProperty("probability").GetDouble():F3}");
    }

    [Fact]
    public void DeepDream_runs_on_resnet18()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("-q", "dream", SharedData.Require("images/cat-and-dog.png"), "--model", SharedData.Require("models/resnet18-random.onnx"),
            "--layer", "/layer3/layer3.1/relu_1/Relu_output_0", "--iterations", "2", "--octaves", "2", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(dir.Path, "result.png")));
    }

    [Fact]
    public void Bench_times_a_visualisation_step_and_a_style_step_against_their_passes()
    {
        var run = CliRunner.Run("--json", "bench", "--model", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"), "--synthesis", "--iterations", "1");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        foreach (string field in new[] { "forward_backward_ms", "visualize_step_ms", "style_forward_backward_ms", "style_step_ms" })
        {
            Assert.True(root.GetProperty(field).GetDouble() > 0, field);
        }
        Assert.Equal(root.GetProperty("visualize_step_ms").GetDouble() / root.GetProperty("forward_backward_ms").GetDouble(),
            root.GetProperty("visualize_step_to_forward_backward").GetDouble(), 6);
    }
}
