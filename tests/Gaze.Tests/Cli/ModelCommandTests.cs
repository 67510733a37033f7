using System.Text.Json;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace Gaze.Tests.Cli;

/// <summary><c>gaze check</c>, <c>gaze predict</c> and <c>gaze layers</c> on the shared models.</summary>
public class ModelCommandTests
{
    public static TheoryData<string, string[]> SharedModels() => new()
    {
        { "squeezenet1.1-caffe2-fp16.onnx", [] },
        { "resnet18-random.onnx", [] },
        { "mobilenet_v2-random.onnx", [] },
        { "efficientnet_b0-random.onnx", [] },
        { "mnist-cntk.onnx", [] },
        { "candy-style.onnx", ["--size", "224,224"] },
    };

    [Theory]
    [MemberData(nameof(SharedModels))]
    public void Check_passes_at_batch_one_and_four(string model, string[] extra)
    {
        foreach (string batch in new[] { "1", "4" })
        {
            var result = CliRunner.Run(["check", SharedData.Require("models/" + model), "--batch", batch, "--json", .. extra]);
            Assert.True(result.ExitCode == 0, $"{model} batch {batch}: exit {result.ExitCode}\n{result.Output}{result.Error}");
            using var json = JsonDocument.Parse(result.Output);
            Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
            Assert.Equal(int.Parse(batch), json.RootElement.GetProperty("input_shape")[0].GetInt32());
            double tolerance = json.RootElement.GetProperty("tolerance").GetDouble();
            foreach (JsonElement output in json.RootElement.GetProperty("outputs").EnumerateArray())
                Assert.InRange(output.GetProperty("relative_difference").GetDouble(), 0, tolerance);
            Assert.True(json.RootElement.GetProperty("gradient_finite").GetBoolean());
            Assert.True(json.RootElement.GetProperty("gradient_nonzero").GetBoolean());
        }
    }

    [Fact]
    public void Predict_ranks_a_dog_first_with_onnx_runtimes_top_five()
    {
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        string image = SharedData.Require("images/cat-and-dog.png");

        var result = CliRunner.Run("predict", image, "--model", model, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        int[] gaze = json.RootElement.GetProperty("images")[0].GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("index").GetInt32()).ToArray();
        Assert.Equal(5, gaze.Length);
        Assert.InRange(gaze[0], 151, 268); // ImageNet's dog breeds
        Assert.Equal(243, gaze[0]);

        // ONNX Runtime on the same preprocessed input, given in the model's own float16.
        using var scope = NewDisposeScope();
        TorchSharp.torch.Tensor input = new ImagePreprocessor(ModelMetadataReader.ReadFor(model).Input!).Preprocess(ImageDecoder.Load(image));
        var halves = input.contiguous().data<float>().ToArray()
            .Select(v => new Float16(BitConverter.HalfToUInt16Bits((Half)v))).ToArray();
        using var session = new InferenceSession(model);
        using var results = session.Run(
            [NamedOnnxValue.CreateFromTensor("data_0", new DenseTensor<Float16>(halves, input.shape.Select(d => (int)d).ToArray()))],
            ["softmaxout_1"]);
        float[] probabilities = results[0].AsTensor<Float16>().ToArray().Select(h => (float)BitConverter.UInt16BitsToHalf(h.value)).ToArray();
        int[] ort = probabilities.Select((p, i) => (p, i)).OrderByDescending(x => x.p).Take(5).Select(x => x.i).ToArray();
        Assert.Equal(ort, gaze);
    }

    [Fact]
    public void Predict_reports_a_bad_image_and_classifies_the_others()
    {
        using var dir = new TempDirectory();
        string bad = dir.File("broken.png");
        File.WriteAllText(bad, "not an image");
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

        var result = CliRunner.Run("predict", SharedData.Require("images/cat-and-dog.png"), bad, "--model", model, "--json");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("broken.png", result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("images_left").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(243, json.RootElement.GetProperty("images")[0].GetProperty("predictions")[0].GetProperty("index").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("images")[1].GetProperty("error").GetString()));
    }

    [Fact]
    public void Layers_marks_the_sidecar_cam_layer()
    {
        var result = CliRunner.Run("layers", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"), "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("fire9/concat_1", json.RootElement.GetProperty("default_cam_layer").GetString());
        JsonElement fire9 = json.RootElement.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "fire9/concat_1");
        Assert.True(fire9.GetProperty("cam_default").GetBoolean());
        Assert.Equal(new[] { 512, 13, 13 }, fire9.GetProperty("shape").EnumerateArray().Skip(1).Select(e => e.GetInt32()));
    }

    public static TheoryData<string, byte[]> BrokenModels() => new()
    {
        { "empty.onnx", [] },
        { "truncated.onnx", File.ReadAllBytes(SharedData.Require("models/mnist-cntk.onnx"))[..10000] },
        { "text.onnx", "not a model at all\n"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public void Malformed_models_exit_two_with_one_line(string name, byte[] content)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        File.WriteAllBytes(path, content);
        foreach (string command in new[] { "check", "layers" })
        {
            var result = CliRunner.Run(command, path);
            Assert.Equal(2, result.ExitCode);
            string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"gaze: {path}:", line);
        }
    }

    [Fact]
    public void Unknown_operator_exits_two_listing_it()
    {
        using var dir = new TempDirectory();
        string path = new TestModelBuilder()
            .Input("x", 1, 3, 4, 4)
            .NamedNode("FancyOp", "first_fancy", ["x"], ["y"])
            .Output("y")
            .Save(dir.File("unknown-op.onnx"));

        var result = CliRunner.Run("check", path);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("FancyOp", line);
        Assert.Contains("first_fancy", line);
    }

    [Fact]
    public void Bench_reports_both_engines_and_the_overhead_as_json()
    {
        var result = CliRunner.Run("bench", "--model", SharedData.Require("models/mnist-cntk.onnx"), "--batch", "2", "--iterations", "2", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(2, root.GetProperty("batch").GetInt32());
        Assert.True(root.GetProperty("gaze_forward_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("onnxruntime_forward_ms").GetDouble() > 0);
        Assert.Equal(root.GetProperty("gaze_forward_ms").GetDouble() / root.GetProperty("onnxruntime_forward_ms").GetDouble(),
            root.GetProperty("gaze_to_onnxruntime").GetDouble(), 6);
        Assert.True(root.GetProperty("nodes").GetInt32() > 0);
        Assert.True(root.GetProperty("gaze_forward_backward_ms").GetDouble() > 0);
        Assert.Equal(root.GetProperty("gaze_forward_backward_ms").GetDouble() / root.GetProperty("onnxruntime_forward_ms").GetDouble(),
            root.GetProperty("forward_backward_to_onnxruntime").GetDouble(), 6);
        Assert.Equal("fp32", root.GetProperty("precision").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("gradient_correlation_with_fp32").ValueKind);
    }

    [Fact]
    public void Bench_in_bf16_reports_the_speedup_and_gradient_correlation_with_fp32()
    {
        var result = CliRunner.Run("bench", "--model", SharedData.Require("models/resnet18-random.onnx"), "--batch", "2", "--iterations", "1",
            "--precision", "bf16", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("bf16", root.GetProperty("precision").GetString());
        double fp32 = root.GetProperty("fp32_forward_backward_ms").GetDouble();
        Assert.Equal(fp32 / root.GetProperty("gaze_forward_backward_ms").GetDouble(), root.GetProperty("speedup_over_fp32").GetDouble(), 6);
        // Close to float32's gradients, yet not identical (which would mean bf16 did not take effect).
        Assert.InRange(root.GetProperty("gradient_correlation_with_fp32").GetDouble(), 0.8, 0.99999);
        Assert.True(root.GetProperty("worst_sample_gradient_correlation_with_fp32").GetDouble() <= root.GetProperty("gradient_correlation_with_fp32").GetDouble() + 1e-6);
    }

    [Fact]
    public void Bench_profile_lists_the_slowest_operators_and_nodes()
    {
        var result = CliRunner.Run("bench", "--model", SharedData.Require("models/mnist-cntk.onnx"), "--profile", "--iterations", "2", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement root = JsonDocument.Parse(result.Output).RootElement;
        Assert.True(root.GetProperty("gaze_forward_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("backward_ms").GetDouble() > 0);
        var operators = root.GetProperty("operators").EnumerateArray().ToList();
        Assert.Contains(operators, o => o.GetProperty("op").GetString() == "Conv");
        var times = operators.Select(o => o.GetProperty("ms").GetDouble()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.NotEmpty(root.GetProperty("nodes").EnumerateArray());

        var text = CliRunner.Run("bench", "--model", SharedData.Require("models/mnist-cntk.onnx"), "--profile", "--iterations", "1");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Slowest nodes", text.Output);
    }

    [Fact]
    public void Input_options_override_the_sidecar()
    {
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        string image = SharedData.Require("images/cat-and-dog.png");
        static double TopLogit(CliRunner.Result r) =>
            JsonDocument.Parse(r.Output).RootElement.GetProperty("images")[0].GetProperty("predictions")[0].GetProperty("logit").GetDouble();

        var sidecar = CliRunner.Run("predict", image, "--model", model, "--json");
        var same = CliRunner.Run("predict", image, "--model", model, "--json", "--channels", "BGR", "--mean", "104,117,123");
        var swapped = CliRunner.Run("predict", image, "--model", model, "--json", "--channels", "RGB");
        Assert.Equal(0, sidecar.ExitCode);
        Assert.Equal(TopLogit(sidecar), TopLogit(same), 4);
        Assert.NotEqual(TopLogit(sidecar), TopLogit(swapped), 2);

        var bad = CliRunner.Run("predict", image, "--model", model, "--mean", "1,2");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--mean", bad.Error);
    }
}
