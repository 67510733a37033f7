using Gaze.Onnx.Proto;
using Gaze.Tests.Onnx;
using Google.Protobuf;

namespace Gaze.Tests.Hostile;

/// <summary>ONNX models that are wrong in one way each, built in code (a few hundred bytes).</summary>
internal static class HostileModels
{
    /// <summary>
    /// A tiny classifier: x [1,3,8,8] -> Conv (2 channels) -> Relu -> global average -> Flatten -> Gemm [1,2]; with
    /// <paramref name="convWeight"/> replacing its convolution weight.
    /// </summary>
    public static TestModelBuilder Classifier(float[]? convWeight = null, int opset = 13) => new TestModelBuilder(opset)
        .Input("x", 1, 3, 8, 8)
        .Initializer("w", convWeight ?? Enumerable.Range(0, 54).Select(i => (i % 5 - 2) * 0.1f).ToArray(), 2, 3, 3, 3)
        .Initializer("g", [1, -1, 0.5f, 2], 2, 2)
        .NamedNode("Conv", "conv", ["x", "w"], ["c"], ("pads", new long[] { 1, 1, 1, 1 }))
        .NamedNode("Relu", "relu", ["c"], ["a"])
        .NamedNode("GlobalAveragePool", "pool", ["a"], ["p"])
        .NamedNode("Flatten", "flatten", ["p"], ["f"])
        .NamedNode("Gemm", "classes", ["f", "g"], ["scores"], ("transB", 1L))
        .Output("scores");

    /// <summary>A valid model proto without a graph.</summary>
    public static byte[] WithoutGraph()
    {
        var model = new ModelProto { IrVersion = 7, ProducerName = "gaze-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    /// <summary>Two nodes that feed each other: <c>a = x + b</c>, <c>b = relu(a)</c>.</summary>
    public static TestModelBuilder Cycle() => new TestModelBuilder()
        .Input("x", 1, 4)
        .NamedNode("Add", "first", ["x", "b"], ["a"])
        .NamedNode("Relu", "second", ["a"], ["b"])
        .Output("b");

    /// <summary>One initializer <c>w</c> of <paramref name="dims"/>, stored as raw data of <paramref name="bytes"/> bytes.</summary>
    public static TestModelBuilder WithRawInitializer(long[] dims, int bytes)
    {
        var weight = new TensorProto { Name = "w", DataType = 1, RawData = ByteString.CopyFrom(new byte[bytes]) };
        weight.Dims.AddRange(dims);
        return new TestModelBuilder().Input("x", 1, 4).Initializer(weight).NamedNode("Add", "add", ["x", "w"], ["y"]).Output("y");
    }

    /// <summary>One initializer <c>w</c> [4] whose data lies in an external file with the given entries.</summary>
    public static TestModelBuilder WithExternalData(params (string Key, string Value)[] entries)
    {
        var weight = new TensorProto { Name = "w", DataType = 1, Dims = { 4 }, DataLocation = TensorProto.Types.DataLocation.External };
        foreach (var (key, value) in entries) weight.ExternalData.Add(new StringStringEntryProto { Key = key, Value = value });
        return new TestModelBuilder().Input("x", 4).Initializer(weight).NamedNode("Add", "add", ["x", "w"], ["y"]).Output("y");
    }

    /// <summary>An image-to-image model: its output [1,3,8,8] is not class scores.</summary>
    public static TestModelBuilder ImageToImage() => new TestModelBuilder()
        .Input("x", 1, 3, 8, 8)
        .NamedNode("Relu", "relu", ["x"], ["y"])
        .Output("y");
}
