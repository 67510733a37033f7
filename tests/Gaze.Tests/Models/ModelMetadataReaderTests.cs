using Gaze.Errors;
using Gaze.Models;
using Gaze.Tests.Support;

namespace Gaze.Tests.Models;

public class ModelMetadataReaderTests
{
    private static string SharedModels => Path.GetDirectoryName(SharedData.Require("models/imagenet-labels.txt"))!;

    [Fact]
    public void Every_shared_sidecar_reads_into_a_valid_input_with_labels()
    {
        var sidecars = Directory.GetFiles(SharedModels, "*.gaze.json");
        Assert.NotEmpty(sidecars);
        foreach (string sidecar in sidecars)
        {
            string model = sidecar[..^".gaze.json".Length] + ".onnx";
            var metadata = ModelMetadataReader.ReadFor(model);
            Assert.Equal(sidecar, metadata.SidecarPath);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Name));
            Assert.NotNull(metadata.Input);
            metadata.Input.Validate();
            Assert.NotNull(metadata.Labels);
            Assert.NotEmpty(metadata.Labels);
        }
    }

    [Fact]
    public void SqueezeNet_sidecar_gives_the_caffe_convention_and_the_cam_layer()
    {
        var metadata = ModelMetadataReader.ReadFor(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        Assert.Equal(
            new ModelInput
            {
                Size = InputSize.Square(224), Layout = TensorLayout.NCHW, Channels = ChannelOrder.BGR, Range = 255,
                Mean = [104, 117, 123], Std = [1, 1, 1], Resize = ResizeMode.Stretch,
            },
            metadata.Input);
        Assert.Equal("fire9/concat_1", metadata.CamLayer);
        Assert.Equal(1000, metadata.Labels!.Count);
        Assert.Equal("bull mastiff", metadata.Labels[243]);
        Assert.Equal("tabby, tabby cat", metadata.Labels[281]);
    }

    [Fact]
    public void Resnet_sidecar_is_the_torchvision_convention()
    {
        var metadata = ModelMetadataReader.ReadFor(SharedData.Require("models/resnet18-random.onnx"));
        Assert.Equal(ModelInput.Default, metadata.Input);
        Assert.Null(metadata.CamLayer);
    }

    [Fact]
    public void Mnist_sidecar_has_gray_input_and_inline_labels()
    {
        var metadata = ModelMetadataReader.ReadFor(SharedData.Require("models/mnist-cntk.onnx"));
        Assert.Equal(
            new ModelInput { Size = InputSize.Square(28), Channels = ChannelOrder.GRAY, Range = 255, Mean = [0], Std = [1], Resize = ResizeMode.Stretch },
            metadata.Input);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], metadata.Labels);
    }

    [Fact]
    public void Sidecar_path_replaces_the_model_extension()
    {
        Assert.Equal(Path.Combine("models", "foo.gaze.json"), ModelMetadataReader.SidecarPathFor(Path.Combine("models", "foo.onnx")));
        Assert.Equal("a.b.gaze.json", ModelMetadataReader.SidecarPathFor("a.b.onnx"));
    }

    [Fact]
    public void Model_without_sidecar_has_no_metadata()
    {
        using var temp = new TempDirectory();
        var metadata = ModelMetadataReader.ReadFor(temp.File("bare.onnx"));
        Assert.Same(ModelMetadata.None, metadata);
        Assert.Null(metadata.Input);
        Assert.Null(metadata.Labels);
        Assert.Null(metadata.Name);
    }

    [Fact]
    public void Partial_input_keeps_defaults_and_labels_file_is_relative_to_the_sidecar()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("lists"));
        File.WriteAllText(temp.File("lists/classes.txt"), "cat\ndog\r\nbird\n\n");
        File.WriteAllText(temp.File("net.gaze.json"),
            """
            {
              // comments and trailing commas are tolerated
              "input": { "size": [32, 48], "layout": "NHWC", },
              "labels": "lists/classes.txt",
            }
            """);
        var metadata = ModelMetadataReader.ReadFor(temp.File("net.onnx"));
        Assert.Equal(ModelInput.Default with { Size = new InputSize(32, 48), Layout = TensorLayout.NHWC }, metadata.Input);
        Assert.Equal(["cat", "dog", "bird"], metadata.Labels);
        Assert.Null(metadata.Name);
    }

    [Fact]
    public void Gray_input_without_mean_and_std_is_plain_range()
    {
        var metadata = ModelMetadataReader.Parse("""{ "input": { "channels": "GRAY", "range": 255 } }""", "digits.gaze.json");
        Assert.Equal([0.0], metadata.Input!.Mean);
        Assert.Equal([1.0], metadata.Input.Std);
    }

    [Theory]
    [InlineData("""{ "input": { "mean": [1, 2] } }""", "input.mean")]
    [InlineData("""{ "input": { "std": [1, 0, 1] } }""", "input.std")]
    [InlineData("""{ "input": { "size": [224] } }""", "input.size")]
    [InlineData("""{ "input": { "size": "224" } }""", "input.size")]
    [InlineData("""{ "input": { "layout": "NCWH" } }""", "input.layout")]
    [InlineData("""{ "input": { "channels": 3 } }""", "input.channels")]
    [InlineData("""{ "input": { "range": 2 } }""", "input.range")]
    [InlineData("""{ "input": { "resize": "squash" } }""", "input.resize")]
    [InlineData("""{ "input": { "mena": [0] } }""", "input.mena")]
    [InlineData("""{ "input": [] }""", "input")]
    [InlineData("""{ "labels": "missing.txt" }""", "labels")]
    [InlineData("""{ "labels": ["a", 2] }""", "labels")]
    [InlineData("""{ "layers": { "cam": 5 } }""", "layers.cam")]
    [InlineData("""{ "name": ["x"] }""", "name")]
    [InlineData("""{ "nmae": "x" }""", "nmae")]
    public void Bad_values_name_the_sidecar_and_the_field(string json, string field)
    {
        using var temp = new TempDirectory();
        string sidecar = temp.File("bad.gaze.json");
        File.WriteAllText(sidecar, json);
        var error = Assert.Throws<ModelFormatException>(() => ModelMetadataReader.ReadFor(temp.File("bad.onnx")));
        Assert.Equal(sidecar, error.FilePath);
        Assert.StartsWith(field + ": ", error.Problem);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("""{ "name": "x" """)]
    [InlineData("not json at all")]
    [InlineData("")]
    public void Malformed_json_names_the_sidecar(string json)
    {
        using var temp = new TempDirectory();
        string sidecar = temp.File("broken.gaze.json");
        File.WriteAllText(sidecar, json);
        var error = Assert.Throws<ModelFormatException>(() => ModelMetadataReader.Read(sidecar));
        Assert.Contains(sidecar, error.Message);
        Assert.Contains("JSON", error.Problem);
    }

    [Fact]
    public void Reading_a_missing_sidecar_directly_is_not_found()
    {
        using var temp = new TempDirectory();
        string sidecar = temp.File("none.gaze.json");
        var error = Assert.Throws<InputFileNotFoundException>(() => ModelMetadataReader.Read(sidecar));
        Assert.Contains(sidecar, error.Message);
    }
}
