using System.Text.Json;
using Gaze.IO;
using Gaze.Tests.Support;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary><c>gaze explain</c> with Guided Grad-CAM takes <c>--layer</c> as the CAMs do; pixel methods without layers refuse it.</summary>
public sealed class GuidedGradCamCliTests
{
    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");

    [Fact]
    public void Guided_gradcam_explains_with_the_layer_given()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("explain", CatAndDog, "--model", Model, "--method", "gradcam,guided-gradcam", "--layer", "fire8/concat_1", "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        JsonElement explanations = results.RootElement.GetProperty("images")[0].GetProperty("explanations");
        JsonElement gradCam = explanations[0], guided = explanations[1];
        Assert.Equal("guided-gradcam", guided.GetProperty("method").GetString());
        Assert.Equal(["fire8/concat_1"], guided.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));
        NpyArray Read(JsonElement explanation, string file) => NpyFile.Read(Path.Combine(output, explanation.GetProperty(file).GetString()!));

        // Its raw map is the layer's Grad-CAM, the factor it multiplies Guided Backprop by.
        NpyArray raw = Read(guided, "raw");
        Assert.Equal([13, 13], raw.Shape.Select(d => (int)d));
        Assert.Equal(Read(gradCam, "raw").Data, raw.Data);
        Assert.True(raw.Data.Max() > 0);

        NpyArray attribution = Read(guided, "attribution");
        Assert.Equal([3, 224, 224], attribution.Shape.Select(d => (int)d));
        Assert.Contains(attribution.Data, v => v != 0);
        Assert.True(File.Exists(Path.Combine(output, guided.GetProperty("overlay").GetString()!)));
    }

    [Theory]
    [InlineData("saliency")]
    [InlineData("guided-backprop")]
    [InlineData("deconvnet")]
    public void Layer_with_a_pixel_method_without_layers_is_an_error_naming_the_option(string method)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", CatAndDog, "--model", Model, "--method", method, "--layer", "fire8/concat_1", "--out", dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gaze: --layer: does not apply to {method}", result.Error.Trim());
    }
}
