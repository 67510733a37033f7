using System.Text.Json;
using Gaze.Models;
using Gaze.Tests.Support;
using Gaze.Tests.Training;

namespace Gaze.Tests.Keras;

/// <summary>
/// <c>gaze finetune</c> on a Keras export: the new model keeps the backbone's NHWC convention (in its sidecar and, for a
/// channels-last layer, a Keras-style ReduceMean head), trains exactly as its PyTorch twin does, passes
/// <c>gaze check</c> and explains with <c>cam</c>.
/// </summary>
public sealed class KerasFinetuneTests
{
    [Theory]
    [InlineData("gap-cnn")]
    [InlineData("mobilenet-like")]
    [InlineData("inception-like")]
    public void A_keras_backbone_fine_tunes_on_shapes_and_explains_with_cam(string network)
    {
        using var dir = new TempDirectory();
        var pair = KerasTwins.Build(network, dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 48);
        string model = dir.File("new.onnx");

        var result = CliRunner.Run("finetune", data, "--backbone", pair.KerasPath, "--out", model, "--epochs", "4", "--json");
        var twin = CliRunner.Run("finetune", data, "--backbone", pair.TorchPath, "--size", pair.Size.ToString(),
            "--out", dir.File("twin.onnx"), "--epochs", "4", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(twin.ExitCode == 0, twin.Error);
        using (var json = JsonDocument.Parse(result.Output))
        using (var twinJson = JsonDocument.Parse(twin.Output))
        {
            Assert.Equal(pair.KerasLastBlock, json.RootElement.GetProperty("layer").GetString());
            double[] losses = Losses(json), twinLosses = Losses(twinJson);
            // The same features reach the same head: training follows the PyTorch twin's, epoch by epoch.
            Assert.Equal(twinLosses.Length, losses.Length);
            for (int e = 0; e < losses.Length; e++) Assert.True(Math.Abs(losses[e] - twinLosses[e]) < 1e-4, $"epoch {e + 1}: {losses[e]} vs {twinLosses[e]}");
            Assert.True(losses[^1] < losses[0] - 0.05, $"train loss {losses[0]} -> {losses[^1]}");
        }
        var sidecar = ModelMetadataReader.ReadFor(model);
        Assert.Equal(TensorLayout.NHWC, sidecar.Input!.Layout);
        Assert.Equal(InputSize.Square(pair.Size), sidecar.Input.Size);
        FinetuneFixtures.AssertChecksAndExplainsWithCam(model, data, dir.File("explained"));
    }

    private static double[] Losses(JsonDocument result) =>
        [.. result.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("train_loss").GetDouble())];
}
