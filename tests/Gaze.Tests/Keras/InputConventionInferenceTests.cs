using System.Text.Json;
using Gaze.Errors;
using Gaze.Models;
using Gaze.Tests.Support;

namespace Gaze.Tests.Keras;

/// <summary>
/// Input conventions read from the graph (size, layout, gray channel), presets, where each part came from, and the
/// one-line errors with their fix when the prepared input cannot fit the model (before any node runs).
/// </summary>
public sealed class InputConventionInferenceTests
{
    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");

    public static TheoryData<string, string[], string> WrongInputs() => new()
    {
        { "mobilenet-like", ["--layout", "NCHW"], "the model expects NHWC [N,32,32,3]; the input tensor is [1,3,32,32]: pass --layout NHWC" },
        { "mobilenet-like", ["--layout", "NCHW", "--size", "40"], "the model expects NHWC [N,32,32,3]; the input tensor is [1,3,40,40]: pass --layout NHWC --size 32,32" },
        { "vgg-like", ["--size", "32"], "the model expects NHWC [N,64,64,3], the input is 32x32: pass --size 64,64" },
        { "inception-like", ["--channels", "GRAY"], "--channels: GRAY gives 1 channel(s) but the model expects NHWC [N,32,32,3] with 3; pass --channels RGB or BGR" },
        { "gap-cnn", ["--layout", "NCHW", "--channels", "GRAY", "--mean", "0", "--std", "1"], "--channels: GRAY gives 1 channel(s)" },
    };

    [Theory]
    [MemberData(nameof(WrongInputs))]
    public void A_wrong_input_on_any_command_is_one_line_with_the_fix_and_exit_2(string network, string[] options, string expected)
    {
        using var dir = new TempDirectory();
        var pair = KerasTwins.Build(network, dir.Path);
        string model = pair.KerasPath;
        string data = Training.FinetuneFixtures.WriteShapes(dir.File("data"), 8);
        string[][] commands =
        [
            ["predict", CatAndDog, "--model", model],
            ["explain", CatAndDog, "--model", model, "--out", dir.File("explained")],
            ["layers", model],
            ["visualize", "--model", model, "--target", "1", "--out", dir.File("visualized")],
            ["fool", CatAndDog, "--model", model, "--target", "1", "--out", dir.File("fooled")],
            ["finetune", data, "--backbone", model, "--out", dir.File("new.onnx")],
        ];
        foreach (string[] command in commands)
        {
            var result = CliRunner.Run([.. command, .. options]);

            string what = $"{command[0]} {string.Join(" ", options)}";
            Assert.True(result.ExitCode == 2, $"{what}: exit {result.ExitCode}\n{result.Output}{result.Error}");
            string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line);
            Assert.DoesNotContain("Exception raised", line);
            Assert.DoesNotContain("frame #", line);
            Assert.False(Directory.Exists(dir.File("explained")), what);
            Assert.False(File.Exists(dir.File("new.onnx")), what);
        }
    }

    [Fact]
    public void The_engine_text_of_a_size_failure_shows_only_with_verbose()
    {
        using var dir = new TempDirectory();
        var pair = KerasTwins.Build("vgg-like", dir.Path);

        var plain = CliRunner.Run("predict", CatAndDog, "--model", pair.TorchPath, "--size", "32");
        var verbose = CliRunner.Run("predict", CatAndDog, "--model", pair.TorchPath, "--size", "32", "--verbose");

        Assert.Equal(2, plain.ExitCode);
        string line = Assert.Single(plain.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("the model expects NCHW [N,3,64,64], the input is 32x32: pass --size 64,64", line);
        Assert.DoesNotContain("mat1 and mat2", line);
        Assert.Equal(2, verbose.ExitCode);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied", verbose.Error);
    }

    [Fact]
    public void A_sidecar_that_contradicts_the_graph_is_named_in_the_error_of_every_command()
    {
        using var dir = new TempDirectory();
        var pair = KerasTwins.Build("resnet-like", dir.Path);
        File.WriteAllText(ModelMetadataReader.SidecarPathFor(pair.KerasPath), """{ "input": { "layout": "NCHW" } }""");
        string[][] commands =
        [
            ["predict", CatAndDog, "--model", pair.KerasPath],
            ["evaluate", CatAndDog, "--model", pair.KerasPath, "--out", dir.File("evaluated")],
            ["sanity", CatAndDog, "--model", pair.KerasPath, "--out", dir.File("sane")],
        ];
        foreach (string[] command in commands)
        {
            var result = CliRunner.Run(command);

            Assert.True(result.ExitCode == 2, $"{command[0]}: exit {result.ExitCode}\n{result.Output}{result.Error}");
            string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("the model expects NHWC [N,48,48,3]; the input tensor is [1,3,48,48]: pass --layout NHWC", line);
            Assert.Contains("(the sidecar " + ModelMetadataReader.SidecarPathFor(pair.KerasPath) + " says NCHW RGB)", line);
        }
    }

    [Fact]
    public void The_library_refuses_a_wrong_layout_before_any_node_runs()
    {
        using var dir = new TempDirectory();
        var pair = KerasTwins.Build("gap-cnn", dir.Path);

        var error = Assert.Throws<ModelInputException>(() => LoadedModel.Open(pair.KerasPath, new ModelInputOverrides { Layout = "NCHW" }));

        Assert.Contains("pass --layout NHWC", error.Message);
    }

    [Fact]
    public void Mnist_without_its_sidecar_takes_gray_28x28_from_the_graph()
    {
        using var dir = new TempDirectory();
        string model = dir.File("mnist.onnx");
        File.Copy(SharedData.Require("models/mnist-cntk.onnx"), model);

        using (var loaded = LoadedModel.Open(model))
        {
            Assert.Equal(ChannelOrder.GRAY, loaded.Input.Channels);
            Assert.Equal(InputSize.Square(28), loaded.Input.Size);
            Assert.Equal(TensorLayout.NCHW, loaded.Input.Layout);
            Assert.Equal(new ModelInputSources
            {
                Size = InputSource.Graph,
                Layout = InputSource.Graph,
                Channels = InputSource.Graph,
                Normalisation = InputSource.Graph,
                LayoutEvidence = loaded.InputSources.LayoutEvidence,
            }, loaded.InputSources);
        }
        var result = CliRunner.Run("predict", CatAndDog, "--model", model, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public void Sidecar_parts_override_the_graph_one_by_one_and_results_json_records_the_sources()
    {
        using var dir = new TempDirectory();
        var pair = KerasTwins.Build("gap-cnn", dir.Path);
        File.WriteAllText(ModelMetadataReader.SidecarPathFor(pair.KerasPath), """{ "input": { "preset": "keras-caffe" } }""");

        var result = CliRunner.Run("explain", CatAndDog, "--model", pair.KerasPath, "--out", dir.File("out"), "--resize", "center-crop");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "results.json")));
        var input = json.RootElement.GetProperty("model").GetProperty("input");
        Assert.Equal("BGR", input.GetProperty("channels").GetString());
        Assert.Equal(255, input.GetProperty("range").GetDouble());
        Assert.Equal([103.939, 116.779, 123.68], input.GetProperty("mean").EnumerateArray().Select(m => m.GetDouble()));
        Assert.Equal("NHWC", input.GetProperty("layout").GetString());
        Assert.Equal("keras-caffe", input.GetProperty("preset").GetString());
        Assert.Contains("Transpose to channels first", input.GetProperty("layout_evidence").GetString());
        var sources = input.GetProperty("sources");
        Assert.Equal("graph", sources.GetProperty("size").GetString());
        Assert.Equal("graph", sources.GetProperty("layout").GetString());
        Assert.Equal("sidecar", sources.GetProperty("channels").GetString());
        Assert.Equal("sidecar", sources.GetProperty("normalisation").GetString());
        Assert.Equal("option", sources.GetProperty("resize").GetString());
    }

    [Theory]
    [InlineData("keras-caffe", ChannelOrder.BGR, 255, 103.939, 1)]
    [InlineData("keras-tf", ChannelOrder.RGB, 1, 0.5, 0.5)]
    [InlineData("keras-torch", ChannelOrder.RGB, 1, 0.485, 0.229)]
    [InlineData("torchvision", ChannelOrder.RGB, 1, 0.485, 0.229)]
    public void Presets_set_the_family_preprocessing(string preset, ChannelOrder channels, double range, double firstMean, double firstStd)
    {
        var input = new ModelInputOverrides { Preset = preset, Size = "299" }.ApplyTo(ModelInput.Default);

        Assert.Equal(channels, input.Channels);
        Assert.Equal(range, input.Range);
        Assert.Equal(firstMean, input.MeanOf(0));
        Assert.Equal(firstStd, input.StdOf(0));
        Assert.Equal(InputSize.Square(299), input.Size);
        // keras-tf maps 0 and 255 to -1 and 1, as keras.applications' 'tf' mode does.
        if (preset == "keras-tf") Assert.Equal((-1.0, 1.0), input.ValueBounds(0));
    }

    [Fact]
    public void An_unknown_preset_is_an_error_naming_the_option_or_the_sidecar_field()
    {
        var option = Assert.Throws<InvalidOptionException>(() => new ModelInputOverrides { Preset = "keras" }.ApplyTo(ModelInput.Default));
        Assert.Equal("--preset", option.Option);
        Assert.Contains("keras-caffe, keras-tf, keras-torch or torchvision", option.Message);

        var sidecar = Assert.Throws<ModelFormatException>(() => ModelMetadataReader.Parse("""{ "input": { "preset": "caffe" } }""", "m.gaze.json"));
        Assert.Contains("input.preset", sidecar.Message);
    }
}
