using Gaze.Errors;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;

namespace Gaze.Tests.IO;

/// <summary>
/// A model's external data and a sidecar's labels file must lie in the model's folder: absolute paths, <c>..</c>
/// and links leading out are refused with one line naming the path (exit 2), and nothing outside is read.
/// </summary>
public sealed class ContainedPathTests
{
    private static string ModelWithExternalData(TempDirectory dir, string location)
    {
        var weight = new TensorProto { Name = "w", DataType = 1, Dims = { 4 }, DataLocation = TensorProto.Types.DataLocation.External };
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        return new TestModelBuilder().Input("x", 4).Initializer(weight).Node("Add", ["x", "w"], ["y"]).Output("y")
            .Save(dir.File("model/model.onnx"));
    }

    private static TempDirectory WithOutsideFile(out string outside)
    {
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("model"));
        outside = dir.File("secret.bin");
        File.WriteAllBytes(outside, new byte[16]);
        return dir;
    }

    [Theory]
    [InlineData("absolute", "is an absolute path")]
    [InlineData("../secret.bin", "leaves the model's folder")]
    [InlineData("link.bin", "is a link to")]
    public void External_data_outside_the_models_folder_is_refused(string location, string problem)
    {
        using var dir = WithOutsideFile(out string outside);
        if (location == "absolute") location = outside;
        if (location == "link.bin") File.CreateSymbolicLink(dir.File("model/link.bin"), outside);
        string model = ModelWithExternalData(dir, location);

        var error = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(model));
        Assert.Contains(problem, error.Message);

        var result = CliRunner.Run("check", model);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(location, line);
    }

    [Fact]
    public void External_data_through_a_link_inside_the_folder_is_read()
    {
        using var dir = WithOutsideFile(out _);
        Directory.CreateDirectory(dir.File("model/data"));
        File.WriteAllBytes(dir.File("model/data/w.bin"), new byte[16]);
        File.CreateSymbolicLink(dir.File("model/w.bin"), dir.File("model/data/w.bin"));

        using var graph = OnnxGraph.Load(ModelWithExternalData(dir, "w.bin"));
        Assert.Equal([4L], graph.Initializer("w").shape);
    }

    [Theory]
    [InlineData("absolute", "is an absolute path")]
    [InlineData("../secret.txt", "leaves the model's folder")]
    [InlineData("link.txt", "is a link to")]
    public void A_labels_file_outside_the_models_folder_is_refused(string labels, string problem)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("model"));
        string outside = dir.File("secret.txt");
        File.WriteAllText(outside, "root:x:0:0\n");
        if (labels == "absolute") labels = outside;
        if (labels == "link.txt") File.CreateSymbolicLink(dir.File("model/link.txt"), outside);
        File.WriteAllText(dir.File("model/net.gaze.json"), $$"""{ "labels": "{{labels.Replace("\\", "\\\\")}}" }""");

        var error = Assert.Throws<ModelFormatException>(() => ModelMetadataReader.ReadFor(dir.File("model/net.onnx")));
        Assert.Contains("labels", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("root:x", error.Message);
    }
}
