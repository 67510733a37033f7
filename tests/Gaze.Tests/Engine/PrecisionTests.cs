using System.Text.Json;
using Gaze.Attribution;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Engine;

/// <summary>
/// bfloat16 convolutions and matrix products (<c>--precision bf16</c>): Grad-CAM maps stay close to float32's on a
/// real photo, the option is checked, and results.json records it.
/// </summary>
public sealed class PrecisionTests
{
    [Theory]
    [InlineData("fp32", Precision.Float32)]
    [InlineData("BF16", Precision.BFloat16)]
    [InlineData("bfloat16", Precision.BFloat16)]
    public void Precision_names_parse(string text, Precision expected) => Assert.Equal(expected, PrecisionSupport.Parse(text));

    [Fact]
    public void Unknown_precision_is_an_option_error()
    {
        var error = Assert.Throws<InvalidOptionException>(() => PrecisionSupport.Parse("fp16"));
        Assert.Equal("--precision", error.Option);

        var result = CliRunner.Run("check", SharedData.Require("models/mnist-cntk.onnx"), "--precision", "fp16");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("gaze: --precision:", result.Error.Trim());
    }

    [Fact]
    public void This_cpu_runs_bfloat16()
    {
        // The development and CI machines have AVX-512-BF16; the rest of this class depends on it.
        Assert.True(PrecisionSupport.HasBFloat16, "no AVX-512-BF16 or AMX-BF16 detected");
    }

    [Fact]
    public void Bfloat16_gradcam_maps_correlate_with_float32_maps()
    {
        string path = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        RgbImage photo = ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png"));
        Tensor Map(Precision precision)
        {
            using LoadedModel model = LoadedModel.Open(path, precision: precision);
            // On Gaze's whole graph: ONNX Runtime, which computes the part before the layer otherwise, stays float32.
            var options = new AttributionOptions { InputLayout = model.Input.Layout, GradientsFromOnnxRuntimePrefix = false };
            using var explainer = new Explainer(model.Graph, model.ResolveLayers(null), options);
            Tensor input = new ImagePreprocessor(model.Input).Preprocess([photo]);
            using Explanation explanation = explainer.Explain(MethodRegistry.Default.Get("gradcam"), input, [243]);
            return explanation.Heatmaps.to(ScalarType.Float32).flatten().clone().MoveToOuterDisposeScope();
        }
        using var scope = NewDisposeScope();
        var fp32 = Map(Precision.Float32);
        var bf16 = Map(Precision.BFloat16);

        double correlation = corrcoef(stack([fp32, bf16]))[0, 1].item<float>();
        Assert.False(fp32.allclose(bf16, 0, 0), "bf16 gave float32's map exactly: it did not take effect");
        Assert.True(correlation >= 0.99, $"correlation {correlation:F5}");
    }

    [Fact]
    public void Results_record_the_precision()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("explain", SharedData.Require("images/cat-and-dog.png"), "--model", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"),
            "--precision", "bf16", "--out", output, "--quiet");
        Assert.True(result.ExitCode == 0, result.Error);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.Equal("bf16", results.RootElement.GetProperty("settings").GetProperty("precision").GetString());
    }
}
