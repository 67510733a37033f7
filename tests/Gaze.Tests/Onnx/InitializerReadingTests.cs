using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Support;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Initializers in every stored form load to the same values in their compute types.</summary>
public sealed class InitializerReadingTests
{
    private static readonly float[] Values = [1.5f, -2.25f, 0.125f, 1024f];

    [Fact]
    public void Typed_and_raw_floats_agree()
    {
        var typed = new TensorProto { Name = "typed", DataType = 1, Dims = { 4 }, FloatData = { Values } };
        var raw = new TensorProto { Name = "raw", DataType = 1, Dims = { 4 }, RawData = ByteString.CopyFrom(Bytes(Values)) };

        var (a, b) = Load(typed, raw);

        Assert.Equal(Values, a);
        Assert.Equal(Values, b);
    }

    [Fact]
    public void Float16_in_raw_and_typed_form_becomes_float32()
    {
        var halves = Values.Select(v => (Half)v).ToArray();
        var raw = new TensorProto { Name = "raw", DataType = 10, Dims = { 4 }, RawData = ByteString.CopyFrom(halves.SelectMany(h => BitConverter.GetBytes(h)).ToArray()) };
        var typed = new TensorProto { Name = "typed", DataType = 10, Dims = { 4 }, Int32Data = { halves.Select(h => (int)BitConverter.HalfToUInt16Bits(h)) } };

        var (a, b) = Load(raw, typed);

        Assert.Equal(Values, a);
        Assert.Equal(Values, b);
    }

    [Fact]
    public void Bfloat16_becomes_float32()
    {
        // bfloat16 is the upper half of a float32's bits; these values are exact in it.
        var bits = Values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray();
        var raw = new TensorProto { Name = "raw", DataType = 16, Dims = { 4 }, RawData = ByteString.CopyFrom(bits.SelectMany(BitConverter.GetBytes).ToArray()) };
        var typed = new TensorProto { Name = "typed", DataType = 16, Dims = { 4 }, Int32Data = { bits.Select(b => (int)b) } };

        var (a, b) = Load(raw, typed);

        Assert.Equal(Values, a);
        Assert.Equal(Values, b);
    }

    [Fact]
    public void Double_and_integers_keep_their_values()
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder()
            .Input("x", 4)
            .Initializer(new TensorProto { Name = "d", DataType = 11, Dims = { 2 }, DoubleData = { 0.1, -3 } })
            .Initializer(new TensorProto { Name = "i64", DataType = 7, Dims = { 2 }, RawData = ByteString.CopyFrom(BitConverter.GetBytes(5L).Concat(BitConverter.GetBytes(-7L)).ToArray()) })
            .Initializer(new TensorProto { Name = "i32", DataType = 6, Dims = { 2 }, Int32Data = { 9, -11 } })
            .Node("Identity", ["x"], ["y"])
            .Output("y");
        using var graph = OnnxGraph.Load(builder.Save(dir.File("types.onnx")));

        Assert.Equal(ScalarType.Float64, graph.Initializer("d").dtype);
        Assert.Equal([0.1, -3], graph.Initializer("d").data<double>().ToArray());
        Assert.Equal([5L, -7L], graph.Initializer("i64").data<long>().ToArray());
        Assert.Equal(ScalarType.Int32, graph.Initializer("i32").dtype);
        Assert.Equal([9, -11], graph.Initializer("i32").data<int>().ToArray());
    }

    [Fact]
    public void External_data_is_read_relative_to_the_model()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("data"));
        byte[] padding = [1, 2, 3, 4, 5, 6, 7, 8];
        File.WriteAllBytes(dir.File("data/w.bin"), padding.Concat(Bytes(Values)).ToArray());
        var weight = new TensorProto { Name = "w", DataType = 1, Dims = { 4 }, DataLocation = TensorProto.Types.DataLocation.External };
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "data/w.bin" });
        weight.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "8" });
        weight.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "16" });
        var builder = new TestModelBuilder().Input("x", 4).Initializer(weight).Node("Add", ["x", "w"], ["y"]).Output("y");
        using var graph = OnnxGraph.Load(builder.Save(dir.File("model.onnx")));
        using var scope = NewDisposeScope();

        using var run = graph.Run(zeros(4));

        Assert.Equal(Values, run.Output.data<float>().ToArray());
    }

    [Fact]
    public void Cast_to_float16_runs_in_float32()
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder()
            .Input("x", 4)
            .Node("Cast", ["x"], ["h"], ("to", 10L))
            .Node("Add", ["h", "h"], ["y"])
            .Output("y", 10);
        using var graph = OnnxGraph.Load(builder.Save(dir.File("cast.onnx")));
        using var scope = NewDisposeScope();

        using var run = graph.Run(tensor(Values));

        Assert.Equal(ScalarType.Float32, run.Output.dtype);
        Assert.Equal(Values.Select(v => 2 * v).ToArray(), run.Output.data<float>().ToArray());
    }

    [Fact]
    public void Float16_models_are_reported_and_take_float32_input()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        using var scope = NewDisposeScope();

        using var run = graph.Run(zeros(1, 3, 224, 224));

        Assert.True(graph.IsFloat16);
        Assert.Equal("float16", graph.Inputs[0].ElementTypeName);
        Assert.Equal(ScalarType.Float32, run.Output.dtype);
        Assert.Equal(7, graph.OpsetVersion);
    }

    private static (float[] A, float[] B) Load(TensorProto a, TensorProto b)
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder().Input("x", 4).Initializer(a).Initializer(b)
            .Node("Add", ["x", a.Name], ["s"]).Node("Add", ["s", b.Name], ["y"]).Output("y");
        using var graph = OnnxGraph.Load(builder.Save(dir.File("init.onnx")));
        Assert.Equal(ScalarType.Float32, graph.Initializer(a.Name).dtype);
        return (graph.Initializer(a.Name).data<float>().ToArray(), graph.Initializer(b.Name).data<float>().ToArray());
    }

    private static byte[] Bytes(float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
