using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Support;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Every way a model file can be wrong gives one specific, one-line error that names the file.</summary>
public sealed class MalformedModelTests
{
    [Fact]
    public void Zero_byte_file_is_a_model_format_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.onnx");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("empty", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Truncated_file_is_a_model_format_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("truncated.onnx");
        byte[] bytes = File.ReadAllBytes(SharedData.Require("models/mnist-cntk.onnx"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Text_file_is_a_model_format_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("notes.onnx");
        File.WriteAllText(path, "This is not a model.\nJust some text someone renamed.\n");

        var e = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("not an ONNX model", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        using var dir = new TempDirectory();
        string path = dir.File("absent.onnx");

        var e = Assert.Throws<InputFileNotFoundException>(() => OnnxGraph.Load(path));

        Assert.StartsWith(path + ":", e.Message);
    }

    [Fact]
    public void Unknown_operators_are_all_listed_at_load_with_their_first_node()
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder()
            .Input("x", 1, 3, 4, 4)
            .NamedNode("Relu", "ok", ["x"], ["a"])
            .NamedNode("FancyOp", "first_fancy", ["a"], ["b"])
            .NamedNode("FancyOp", "second_fancy", ["b"], ["c"])
            .NamedNode("Einsum", "einsum_node", ["c"], ["y"], ("equation", "ij->ji"))
            .Output("y");
        string path = builder.Save(dir.File("unknown-op.onnx"));

        var e = Assert.Throws<UnsupportedOperatorException>(() => OnnxGraph.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Equal([("FancyOp", "first_fancy"), ("Einsum", "einsum_node")], e.Operators);
        Assert.Contains("FancyOp (first at node 'first_fancy')", e.Message);
        Assert.Contains("Einsum (first at node 'einsum_node')", e.Message);
        Assert.DoesNotContain("second_fancy", e.Message);
        Assert.IsAssignableFrom<GazeFileException>(e);
    }

    [Fact]
    public void Unsupported_attribute_values_are_reported_at_load()
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder(opset: 13)
            .Input("x", 1, 1, 4, 4)
            .Initializer("scales", [1f, 1f, 2f, 2f], 4)
            .NamedNode("Resize", "upscale", ["x", "", "scales"], ["y"], ("mode", "cubic"))
            .Output("y");
        string path = builder.Save(dir.File("cubic.onnx"));

        var e = Assert.Throws<UnsupportedOperatorException>(() => OnnxGraph.Load(path));

        Assert.Contains("Resize (mode 'cubic') (first at node 'upscale')", e.Message);
    }

    [Fact]
    public void Missing_external_data_names_the_missing_file()
    {
        using var dir = new TempDirectory();
        var weight = new TensorProto { Name = "w", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
        weight.Dims.Add(4);
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        var builder = new TestModelBuilder()
            .Input("x", 4)
            .Initializer(weight)
            .Node("Add", ["x", "w"], ["y"])
            .Output("y");
        string path = builder.Save(dir.File("external.onnx"));

        var e = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("weights.bin", e.Message);
    }

    [Fact]
    public void Wrong_input_rank_is_reported_at_run_with_the_model_file()
    {
        string path = SharedData.Require("models/mnist-cntk.onnx");
        using var graph = OnnxGraph.Load(path);
        using var scope = NewDisposeScope();

        var e = Assert.Throws<ModelInputException>(() => graph.Run(zeros(1, 28, 28)));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("rank 4", e.Message);
    }

    [Fact]
    public void Wrong_channel_count_is_reported_at_run()
    {
        string path = SharedData.Require("models/mnist-cntk.onnx");
        using var graph = OnnxGraph.Load(path);
        using var scope = NewDisposeScope();

        var e = Assert.Throws<ModelInputException>(() => graph.Run(zeros(1, 3, 28, 28)));

        Assert.Contains("the model expects NCHW [1,1,28,28]; the input tensor is [1,3,28,28]: pass --channels GRAY", e.Message);
    }

    [Fact]
    public void A_graph_reading_an_undefined_tensor_is_a_model_format_error()
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder()
            .Input("x", 4)
            .NamedNode("Add", "adder", ["x", "nowhere"], ["y"])
            .Output("y");
        string path = builder.Save(dir.File("dangling.onnx"));

        var e = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));

        Assert.Contains("'nowhere'", e.Message);
        Assert.Contains("adder", e.Message);
    }

    [Fact]
    public void An_input_size_the_model_cannot_take_names_the_failing_node()
    {
        string path = SharedData.Require("models/mnist-cntk.onnx");
        using var graph = OnnxGraph.Load(path);
        using var scope = NewDisposeScope();

        var e = Assert.Throws<ModelInputException>(() => graph.Run(zeros(1, 1, 32, 32)));

        // The graph fixes 28x28: the message says so and how to fix it, then which node failed.
        Assert.StartsWith(path + ": the model expects NCHW [1,1,28,28], the input is 32x32: pass --size 28,28", e.Message);
        var node = Assert.IsType<ModelExecutionException>(e.InnerException);
        Assert.Equal("Times212_reshape0", node.Node);
        Assert.Equal("Reshape", node.OpType);
        Assert.Contains("node 'Times212_reshape0' (Reshape) fails at this size", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
