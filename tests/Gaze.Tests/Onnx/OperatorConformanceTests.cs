using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>
/// Single operators (and small operator groups) in their opset variants give ONNX Runtime's results: attributes
/// versus inputs, padding and rounding modes, coordinate transformations.
/// </summary>
public sealed class OperatorConformanceTests
{
    private sealed record Case(int Opset, long[] Shape, Action<TestModelBuilder> Build, bool Positive = false, int Outputs = 1);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Clip attributes (opset 7)"] = new(7, [2, 3, 4], b => b.Node("Clip", ["x"], ["y"], ("min", -0.5f), ("max", 0.7f))),
        ["Clip min input only (opset 13)"] = new(13, [2, 3, 4], b => b.Initializer("lo", [-0.2f]).Node("Clip", ["x", "lo"], ["y"])),
        ["Pad reflect attributes (opset 7)"] = new(7, [1, 2, 5, 6], b => b.Node("Pad", ["x"], ["y"], ("mode", "reflect"), ("pads", new long[] { 0, 0, 2, 1, 0, 0, 1, 3 }))),
        ["Pad edge inputs (opset 13)"] = new(13, [1, 2, 5, 6], b => b.Initializer("p", [0L, 0, 1, 2, 0, 0, 3, 0], 8).Node("Pad", ["x", "p"], ["y"], ("mode", "edge"))),
        ["Pad constant with negative pads (opset 13)"] = new(13, [1, 2, 5, 6], b => b.Initializer("p", [0L, 1, -1, 2, 0, 0, 1, -2], 8).Initializer("v", [0.5f]).Node("Pad", ["x", "p", "v"], ["y"])),
        ["Slice attributes (opset 7)"] = new(7, [3, 6, 7], b => b.Node("Slice", ["x"], ["y"], ("starts", new long[] { 1, -5 }), ("ends", new long[] { 1000, -1 }), ("axes", new long[] { 1, 2 }))),
        ["Slice negative steps (opset 13)"] = new(13, [3, 6, 7], b => b
            .Initializer("s", [-1L, 5], 2).Initializer("e", [-1000L, 0], 2).Initializer("a", [2L, 1], 2).Initializer("st", [-2L, -1], 2)
            .Node("Slice", ["x", "s", "e", "a", "st"], ["y"])),
        ["Squeeze and Unsqueeze attributes (opset 11)"] = new(11, [2, 1, 3], b => b
            .Node("Squeeze", ["x"], ["s"], ("axes", new long[] { 1 })).Node("Unsqueeze", ["s"], ["y"], ("axes", new long[] { 0, -1 }))),
        ["Squeeze and Unsqueeze inputs (opset 13)"] = new(13, [2, 1, 3], b => b.Initializer("a1", [1L], 1).Initializer("a2", [0L, 3], 2)
            .Node("Squeeze", ["x", "a1"], ["s"]).Node("Unsqueeze", ["s", "a2"], ["y"])),
        ["ReduceMean axes attribute (opset 13)"] = new(13, [2, 3, 4, 5], b => b.Node("ReduceMean", ["x"], ["y"], ("axes", new long[] { 1, -1 }), ("keepdims", 0L))),
        ["ReduceMean axes input (opset 18)"] = new(18, [2, 3, 4, 5], b => b.Initializer("a", [2L, 3], 2).Node("ReduceMean", ["x", "a"], ["y"])),
        ["ReduceSum, ReduceMax (opset 13)"] = new(13, [2, 3, 4], b => b.Initializer("a", [1L], 1)
            .Node("ReduceSum", ["x", "a"], ["s"]).Node("ReduceMax", ["x"], ["m"], ("axes", new long[] { 1 })).Node("Add", ["s", "m"], ["y"])),
        ["Split attribute (opset 11)"] = new(11, [2, 7], b => b.Node("Split", ["x"], ["y", "z"], ("axis", 1L), ("split", new long[] { 3, 4 })), Outputs: 2),
        ["Split input (opset 13)"] = new(13, [2, 7], b => b.Initializer("s", [5L, 2], 2).Node("Split", ["x", "s"], ["y", "z"], ("axis", -1L)), Outputs: 2),
        ["Split num_outputs (opset 18)"] = new(18, [2, 7], b => b.Node("Split", ["x"], ["y", "z"], ("axis", 1L), ("num_outputs", 2L)), Outputs: 2),
        ["Resize nearest half_pixel x2 (opset 13)"] = new(13, [1, 2, 3, 4], b => b.Initializer("sc", [1f, 1f, 2f, 2f], 4).Node("Resize", ["x", "", "sc"], ["y"])),
        ["Resize nearest x1.5 and x0.6 (opset 13)"] = new(13, [1, 2, 6, 5], b => b.Initializer("sc", [1f, 1f, 1.5f, 0.6f], 4).Node("Resize", ["x", "", "sc"], ["y"])),
        ["Resize nearest asymmetric floor (opset 13)"] = new(13, [1, 2, 3, 4], b => b.Initializer("sc", [1f, 1f, 3f, 2f], 4)
            .Node("Resize", ["x", "", "sc"], ["y"], ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"))),
        ["Resize linear half_pixel (opset 13)"] = new(13, [1, 2, 3, 4], b => b.Initializer("sc", [1f, 1f, 2.5f, 2f], 4).Node("Resize", ["x", "", "sc"], ["y"], ("mode", "linear"))),
        ["Resize linear align_corners sizes (opset 13)"] = new(13, [1, 2, 3, 4], b => b.Initializer("sz", [1L, 2, 7, 5], 4)
            .Node("Resize", ["x", "", "", "sz"], ["y"], ("mode", "linear"), ("coordinate_transformation_mode", "align_corners"))),
        ["Resize linear pytorch_half_pixel downscale (opset 11)"] = new(11, [1, 2, 8, 6], b => b.Initializer("roi", new float[0], 0).Initializer("sc", [1f, 1f, 0.5f, 0.5f], 4)
            .Node("Resize", ["x", "roi", "sc"], ["y"], ("mode", "linear"), ("coordinate_transformation_mode", "pytorch_half_pixel"))),
        ["Upsample nearest scales input (opset 9)"] = new(9, [1, 2, 3, 4], b => b.Initializer("sc", [1f, 1f, 2f, 3f], 4).Node("Upsample", ["x", "sc"], ["y"])),
        ["Upsample linear scales attribute (opset 7)"] = new(7, [1, 2, 3, 4], b => b.Node("Upsample", ["x"], ["y"], ("mode", "linear"), ("scales", new[] { 1f, 1f, 2f, 2f }))),
        ["Resize nearest (opset 10)"] = new(10, [1, 2, 3, 4], b => b.Initializer("sc", [1f, 1f, 2f, 2f], 4).Node("Resize", ["x", "sc"], ["y"])),
        ["BatchNormalization (opset 7)"] = new(7, [2, 3, 4, 4], b => BatchNorm(b)),
        ["BatchNormalization (opset 15)"] = new(15, [2, 3, 4, 4], b => BatchNorm(b)),
        ["Dropout ratio attribute (opset 7)"] = new(7, [2, 3], b => b.Node("Dropout", ["x"], ["y"], ("ratio", 0.3f))),
        ["Dropout ratio input (opset 13)"] = new(13, [2, 3], b => b.Initializer("r", [0.3f]).Node("Dropout", ["x", "r"], ["y"])),
        ["Conv groups, dilations, asymmetric pads"] = new(13, [1, 4, 9, 8], b => b.Initializer("w", Series(6 * 2 * 3 * 3), 6, 2, 3, 3).Initializer("bias", Series(6), 6)
            .Node("Conv", ["x", "w", "bias"], ["y"], ("group", 2L), ("dilations", new long[] { 2, 1 }), ("pads", new long[] { 1, 0, 2, 1 }), ("strides", new long[] { 1, 2 }))),
        ["Conv auto_pad SAME_UPPER stride 2"] = new(13, [1, 2, 7, 8], b => b.Initializer("w", Series(3 * 2 * 3 * 3), 3, 2, 3, 3)
            .Node("Conv", ["x", "w"], ["y"], ("auto_pad", "SAME_UPPER"), ("strides", new long[] { 2, 2 }))),
        ["Conv 1-D"] = new(13, [2, 3, 10], b => b.Initializer("w", Series(4 * 3 * 3), 4, 3, 3).Node("Conv", ["x", "w"], ["y"], ("pads", new long[] { 1, 1 }), ("strides", new long[] { 2 }))),
        ["ConvTranspose asymmetric pads and output_padding"] = new(13, [1, 4, 5, 6], b => b.Initializer("w", Series(4 * 3 * 3 * 3), 4, 3, 3, 3).Initializer("bias", Series(6), 6)
            .Node("ConvTranspose", ["x", "w", "bias"], ["y"], ("group", 2L), ("strides", new long[] { 2, 3 }), ("pads", new long[] { 1, 0, 0, 2 }), ("output_padding", new long[] { 1, 2 }))),
        ["ConvTranspose dilations and output_shape"] = new(13, [1, 2, 4, 4], b => b.Initializer("w", Series(2 * 3 * 3 * 3), 2, 3, 3, 3)
            .Node("ConvTranspose", ["x", "w"], ["y"], ("strides", new long[] { 2, 2 }), ("dilations", new long[] { 2, 1 }), ("output_shape", new long[] { 12, 10 }))),
        ["ConvTranspose auto_pad SAME_UPPER"] = new(13, [1, 2, 4, 5], b => b.Initializer("w", Series(2 * 2 * 3 * 3), 2, 2, 3, 3)
            .Node("ConvTranspose", ["x", "w"], ["y"], ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER"))),
        ["MaxPool ceil_mode, dilations, pads"] = new(13, [1, 2, 9, 10], b => b.Node("MaxPool", ["x"], ["y"], ("kernel_shape", new long[] { 3, 2 }),
            ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }), ("dilations", new long[] { 1, 2 }), ("ceil_mode", 1L))),
        ["MaxPool asymmetric pads"] = new(13, [1, 2, 7, 7], b => b.Node("MaxPool", ["x"], ["y"], ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 0, 1, 2, 0 }))),
        ["AveragePool excluding asymmetric pads"] = new(13, [1, 2, 7, 7], b => b.Node("AveragePool", ["x"], ["y"], ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 0, 1, 2, 0 }))),
        ["AveragePool including pads"] = new(13, [1, 2, 7, 7], b => b.Node("AveragePool", ["x"], ["y"], ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }), ("count_include_pad", 1L))),
        ["AveragePool SAME_LOWER"] = new(13, [1, 2, 7, 6], b => b.Node("AveragePool", ["x"], ["y"], ("kernel_shape", new long[] { 2, 3 }), ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_LOWER"))),
        ["GlobalMaxPool and GlobalAveragePool"] = new(13, [2, 3, 5, 4], b => b.Node("GlobalMaxPool", ["x"], ["m"]).Node("GlobalAveragePool", ["x"], ["a"]).Node("Sub", ["m", "a"], ["y"])),
        ["LRN size 3 with parameters"] = new(13, [2, 6, 3, 3], b => b.Node("LRN", ["x"], ["y"], ("size", 3L), ("alpha", 0.01f), ("beta", 0.6f), ("bias", 2f))),
        ["LRN odd size"] = new(13, [2, 6, 3, 3], b => b.Node("LRN", ["x"], ["y"], ("size", 5L))),
        ["InstanceNormalization"] = new(13, [2, 3, 4, 5], b => b.Initializer("s", [0.5f, 1f, 2f], 3).Initializer("bias", [0.1f, -0.2f, 0.3f], 3).Node("InstanceNormalization", ["x", "s", "bias"], ["y"], ("epsilon", 1e-3f))),
        ["LayerNormalization (opset 17)"] = new(17, [2, 3, 4], b => b.Initializer("s", Series(12), 3, 4).Initializer("bias", Series(4), 4).Node("LayerNormalization", ["x", "s", "bias"], ["y"], ("axis", -2L))),
        ["Gemm transposes, alpha, beta"] = new(13, [3, 4], b => b.Initializer("w", Series(20), 5, 4).Initializer("c", Series(5), 5)
            .Node("Gemm", ["x", "w", "c"], ["y"], ("transB", 1L), ("alpha", 0.5f), ("beta", 2f))),
        ["Gemm transA"] = new(13, [4, 3], b => b.Initializer("w", Series(20), 4, 5).Node("Gemm", ["x", "w"], ["y"], ("transA", 1L))),
        ["MatMul batched"] = new(13, [2, 3, 4], b => b.Initializer("w", Series(20), 4, 5).Node("MatMul", ["x", "w"], ["y"])),
        ["Softmax coerced to 2-D (opset 11)"] = new(11, [2, 3, 2, 2], b => b.Node("Softmax", ["x"], ["y"], ("axis", 1L))),
        ["Softmax one axis (opset 13)"] = new(13, [2, 3, 2, 2], b => b.Node("Softmax", ["x"], ["y"], ("axis", 1L))),
        ["LogSoftmax (opset 13)"] = new(13, [2, 5], b => b.Node("LogSoftmax", ["x"], ["y"])),
        ["Dynamic shape subgraph to Reshape"] = new(13, [3, 2, 4], b => b
            .Initializer("zero", [0L]).Initializer("minus1", [-1L], 1).Initializer("ax", [0L], 1)
            .Node("Shape", ["x"], ["shape"]).Node("Gather", ["shape", "zero"], ["n"], ("axis", 0L)).Node("Unsqueeze", ["n", "ax"], ["n1"])
            .Node("Concat", ["n1", "minus1"], ["target"], ("axis", 0L)).Node("Reshape", ["x", "target"], ["y"])),
        ["Gather negative indices"] = new(13, [2, 5, 3], b => b.Initializer("i", [-1L, 0, 2, -2], 2, 2).Node("Gather", ["x", "i"], ["y"], ("axis", 1L))),
        ["Expand, Tile, Transpose"] = new(13, [2, 1, 3], b => b.Initializer("sh", [2L, 4, 1], 3).Initializer("rep", [1L, 1, 2], 3)
            .Node("Expand", ["x", "sh"], ["e"]).Node("Tile", ["e", "rep"], ["t"]).Node("Transpose", ["t"], ["y"], ("perm", new long[] { 2, 0, 1 }))),
        ["Where, Equal, Greater"] = new(13, [2, 6], b => b.Initializer("z", [0f]).Node("Greater", ["x", "z"], ["g"]).Node("Neg", ["x"], ["n"])
            .Node("Where", ["g", "x", "n"], ["w"]).Node("Equal", ["w", "x"], ["eq"]).Node("Cast", ["eq"], ["c"], ("to", 1L)).Node("Add", ["w", "c"], ["y"])),
        ["Pow, Div, Sub, variadic Max/Min/Sum"] = new(13, [2, 6], b => b.Initializer("two", [2f]).Initializer("k", [0.5f, 1.5f, -1f, 2f, 3f, 4f], 6)
            .Node("Pow", ["x", "two"], ["p"]).Node("Div", ["p", "k"], ["d"]).Node("Sub", ["d", "x"], ["s"])
            .Node("Max", ["x", "s", "k"], ["mx"]).Node("Min", ["x", "s"], ["mn"]).Node("Sum", ["mx", "mn", "x"], ["y"])),
        ["Flatten axis 2, ConstantOfShape"] = new(13, [2, 3, 4, 2], b => b.Node("Flatten", ["x"], ["f"], ("axis", 2L)).Node("Shape", ["f"], ["s"])
            .Node("ConstantOfShape", ["s"], ["c"], ("value", new TensorProto { DataType = 1, Dims = { 1 }, FloatData = { 1.5f } })).Node("Mul", ["f", "c"], ["y"])),
        ["Activations"] = new(14, [2, 3, 4], b => b.Initializer("slope", [0.1f, 0.2f, 0.3f], 3, 1)
            .Node("LeakyRelu", ["x"], ["a"], ("alpha", 0.2f)).Node("PRelu", ["a", "slope"], ["b"]).Node("Elu", ["b"], ["c"], ("alpha", 0.7f))
            .Node("Selu", ["c"], ["d"]).Node("HardSigmoid", ["d"], ["e"], ("alpha", 0.3f)).Node("HardSwish", ["x"], ["f"]).Node("Erf", ["f"], ["g"])
            .Node("Softplus", ["g"], ["h"]).Node("Sigmoid", ["h"], ["i"]).Node("Tanh", ["x"], ["j"]).Node("Add", ["i", "j"], ["k"]).Node("Add", ["k", "e"], ["y"])),
        ["Exp, Log, Sqrt, Abs, Neg"] = new(13, [2, 5], b => b.Node("Exp", ["x"], ["e"]).Node("Log", ["e"], ["l"]).Node("Sqrt", ["x"], ["s"])
            .Node("Neg", ["s"], ["n"]).Node("Abs", ["n"], ["a"]).Node("Add", ["a", "l"], ["y"]), Positive: true),
        ["Gelu (opset 20)"] = new(20, [2, 5], b => b.Node("Gelu", ["x"], ["g"]).Node("Gelu", ["x"], ["t"], ("approximate", "tanh")).Node("Add", ["g", "t"], ["y"])),
        ["ImageScaler, Crop, Affine (opset 7)"] = new(7, [1, 3, 6, 7], b => b.Node("ImageScaler", ["x"], ["s"], ("scale", 2f), ("bias", new[] { 1f, 2f, 3f }))
            .Node("Crop", ["s"], ["c"], ("border", new long[] { 1, 2, 0, 1 })).Node("Affine", ["c"], ["y"], ("alpha", 3f), ("beta", -1f))),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_onnx_runtime(string name)
    {
        var c = Cases[name];
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder(c.Opset).Input("x", c.Shape.Select(d => (long?)d).ToArray());
        c.Build(builder);
        builder.Output("y");
        if (c.Outputs == 2) builder.Output("z");
        string path = builder.Save(dir.File("case.onnx"));
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(17);
        var x = randn(c.Shape, generator: generator);
        if (c.Positive) x = x.abs().add(0.1);

        var expected = OrtOracle.Run(path, new Dictionary<string, Tensor> { ["x"] = x });
        using var graph = OnnxGraph.Load(path);
        using var run = graph.Run(x);

        for (int i = 0; i < graph.OutputNames.Count; i++)
        {
            var reference = expected[graph.OutputNames[i]];
            Assert.True(OrtOracle.RelativeDifference(run.Outputs[i], reference) < 1e-5,
                $"{graph.OutputNames[i]}: gaze {run.Outputs[i].ToString(TorchSharp.TensorStringStyle.Julia)} vs ort {reference.ToString(TorchSharp.TensorStringStyle.Julia)}");
        }
    }

    private static void BatchNorm(TestModelBuilder b) => b
        .Initializer("s", [0.5f, 1f, 2f], 3).Initializer("bias", [0.1f, -0.2f, 0.3f], 3)
        .Initializer("mean", [0.2f, -0.1f, 0f], 3).Initializer("var", [1.5f, 0.5f, 2f], 3)
        .Node("BatchNormalization", ["x", "s", "bias", "mean", "var"], ["y"], ("epsilon", 1e-3f));

    /// <summary>Deterministic, varied weights.</summary>
    private static float[] Series(int count) => Enumerable.Range(0, count).Select(i => MathF.Sin(i * 1.7f + 0.3f)).ToArray();
}
