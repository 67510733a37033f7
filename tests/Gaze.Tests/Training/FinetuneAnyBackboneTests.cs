using System.Text.Json;
using Gaze.Models;
using Gaze.Tests.Support;

namespace Gaze.Tests.Training;

/// <summary><c>gaze finetune</c> works on every shared backbone the engine imports, not only SqueezeNet.</summary>
public sealed class FinetuneAnyBackboneTests
{
    [Theory]
    [InlineData("resnet18-random.onnx", "/layer4/layer4.1/relu_1/Relu_output_0")]
    [InlineData("mobilenet_v2-random.onnx", "/features/features.18/features.18.2/Clip_output_0")]
    [InlineData("efficientnet_b0-random.onnx", "/features/features.8/features.8.2/Mul_output_0")]
    [InlineData("mnist-cntk.onnx", "Pooling160_Output_0")]
    public void The_fine_tuned_model_passes_the_check_and_explains_with_cam(string backbone, string camLayer)
    {
        using var dir = new TempDirectory();
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);
        string model = dir.File("new.onnx");

        var result = CliRunner.Run("finetune", data, "--backbone", SharedData.Require("models/" + backbone), "--out", model, "--epochs", "1", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(camLayer, json.RootElement.GetProperty("layer").GetString());
        Assert.Equal(camLayer, ModelMetadataReader.ReadFor(model).CamLayer);
        FinetuneFixtures.AssertChecksAndExplainsWithCam(model, data, dir.File("explained"));
    }
}
