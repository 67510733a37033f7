using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Errors from inside libtorch and ONNX Runtime reach the user as one plain line naming the model and node.</summary>
public sealed class EngineMessageTests
{
    [Fact]
    public void Libtorch_trailer_and_frames_are_cut()
    {
        string raw = "Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 3, 8, 8] to have 4 channels, but got 3 channels instead\n"
            + "Exception raised from check_shape_forward at /pytorch/aten/src/ATen/native/Convolution.cpp:634 (most recent call first):\n"
            + "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x9c";
        Assert.Equal("Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 3, 8, 8] to have 4 channels, but got 3 channels instead",
            EngineMessage.Plain(raw));
        Assert.Equal(13, EngineMessage.Plain(new string('x', 50), 10).Length);
        string runtime = "[ErrorCode:Fail] Load model failed: /onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::"
            + "ValidateOpsetForDomain(const std::unordered_map<std::basic_string<char>, int>&, const onnxruntime::logging::Logger&, bool, const std::string&, int) "
            + "Opset 99 is under development (support is limited).";
        Assert.Equal("Load model failed: Opset 99 is under development (support is limited).", EngineMessage.Plain(runtime));
    }

    [Fact]
    public void A_convolution_whose_weight_does_not_fit_its_input_fails_in_one_line_naming_the_node()
    {
        using var dir = new TempDirectory();
        string model = new TestModelBuilder()
            .Input("x", null, 3, 8, 8)
            .Initializer("w", new float[8 * 4 * 9], 8, 4, 3, 3)
            .NamedNode("Conv", "mismatched_conv", ["x", "w"], ["y"])
            .Output("y")
            .Save(dir.File("mismatch.onnx"));

        using var graph = OnnxGraph.Load(model);
        var error = Assert.Throws<ModelExecutionException>(() => graph.Run(zeros(1, 3, 8, 8)).Dispose());
        Assert.Equal("mismatched_conv", error.Node);
        Assert.DoesNotContain("Exception raised from", error.Message);
        Assert.DoesNotContain("frame #", error.Message);
        Assert.Contains("4 channels, but got 3 channels", error.Message);

        var result = CliRunner.Run("check", model);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mismatched_conv", line);
        Assert.DoesNotContain("/pytorch/", line);
        var verbose = CliRunner.Run("check", model, "--verbose");
        Assert.Equal(2, verbose.ExitCode);
        Assert.Contains("Exception raised from", verbose.Error);
    }

    [Fact]
    public void An_opset_onnx_runtime_does_not_know_fails_check_in_one_line()
    {
        using var dir = new TempDirectory();
        string model = new TestModelBuilder(opset: 99).Input("x", 1, 4).Node("Relu", ["x"], ["y"]).Output("y").Save(dir.File("opset99.onnx"));

        var result = CliRunner.Run("check", model);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gaze: {model}:", line);
        Assert.DoesNotContain("onnxruntime/core", line);
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("explain")]
    public void A_model_without_class_scores_is_refused_by_commands_that_rank_classes(string command)
    {
        using var dir = new TempDirectory();
        string model = SharedData.Require("models/candy-style.onnx");
        string image = SharedData.Require("images/cat-and-dog.png");

        string[] output = command == "explain" ? ["--out", dir.File("out")] : [];
        var result = CliRunner.Run([command, image, "--model", model, "--size", "224,224", .. output]);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not class scores [N, classes]", line);
        Assert.Contains("[1,3,224,224]", line);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
