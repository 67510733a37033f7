using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Tests.Onnx;

/// <summary>
/// The operator idioms tf2onnx emits for Keras models give ONNX Runtime's values (relative 1e-5) and, where
/// differentiable, the input gradient of a plain TorchSharp computation (relative 1e-4): explicit Pad before VALID
/// convolutions, Reshape targets built from Shape/Gather/Concat (folded at load when only the batch is unknown),
/// ReLU6 as Clip, depthwise convolutions, NHWC concatenation, Transposes around every convolution, Cast, Identity,
/// Squeeze/Unsqueeze and unfolded batch normalization. Node names follow tf2onnx's.
/// </summary>
public sealed class Tf2OnnxIdiomTests
{
    private const double ForwardTolerance = 1e-5;
    private const double GradientTolerance = 1e-4;

    private sealed record Case(int Opset, long[] Shape, Func<int, TestModelBuilder> Build);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["ZeroPadding2D as Pad before a VALID Conv (opset 11)"] = new(11, [2, 7, 7, 3], PaddedConv),
        ["ZeroPadding2D as Pad with constant_value input (opset 13)"] = new(13, [2, 7, 7, 3], PaddedConv),
        ["Flatten as Shape, Gather, Unsqueeze, Concat, Reshape (opset 11)"] = new(11, [2, 4, 4, 3], o => Flatten(o, FlattenChain.Gather)),
        ["Flatten as Shape, Gather, Unsqueeze, Concat, Reshape (opset 13)"] = new(13, [2, 4, 4, 3], o => Flatten(o, FlattenChain.Gather)),
        ["Flatten as Shape, Slice, Concat, Reshape (opset 13)"] = new(13, [2, 4, 4, 3], o => Flatten(o, FlattenChain.Slice)),
        ["ReLU6 as Clip with bound inputs (opset 11)"] = new(11, [2, 5, 5, 3], Relu6),
        ["ReLU6 as Clip with bound inputs (opset 13)"] = new(13, [2, 5, 5, 3], Relu6),
        ["ReLU6 as Clip with bound attributes (opset 6)"] = new(6, [2, 5, 5, 3], Relu6),
        ["Depthwise Conv multiplier 1, stride 2, pads (0,0,1,1)"] = new(13, [2, 8, 8, 4], o => Depthwise(o, 1)),
        ["Depthwise Conv multiplier 2, stride 2, pads (1,1,1,1)"] = new(13, [2, 7, 7, 4], o => Depthwise(o, 2)),
        ["Concat on axis 3 and -1 of NHWC tensors"] = new(13, [2, 4, 5, 3], ConcatNhwc),
        ["Transposes around every Conv, three layers"] = new(13, [2, 9, 9, 3], TransposedConvs),
        ["Cast and Identity"] = new(13, [2, 3, 4], CastAndIdentity),
        ["Squeeze and Unsqueeze attributes after ReduceMean (opset 11)"] = new(11, [2, 4, 4, 3], SqueezeExcite),
        ["Squeeze and Unsqueeze inputs after ReduceMean (opset 13)"] = new(13, [2, 4, 4, 3], SqueezeExcite),
        ["BatchNormalization with spatial attribute after Conv (opset 7)"] = new(7, [2, 6, 6, 3], o => ConvBatchNorm(o, folded: false)),
        ["BatchNormalization after Conv (opset 9)"] = new(9, [2, 6, 6, 3], o => ConvBatchNorm(o, folded: false)),
        ["BatchNormalization after Conv (opset 14)"] = new(14, [2, 6, 6, 3], o => ConvBatchNorm(o, folded: false)),
        ["BatchNormalization after Conv (opset 15)"] = new(15, [2, 6, 6, 3], o => ConvBatchNorm(o, folded: false)),
        ["Conv with BatchNormalization folded in (opset 13)"] = new(13, [2, 6, 6, 3], o => ConvBatchNorm(o, folded: true)),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Idiom_matches_onnx_runtime(string name)
    {
        var c = Cases[name];
        using var dir = new TempDirectory();
        string path = c.Build(c.Opset).Save(dir.File("idiom.onnx"));
        using var scope = NewDisposeScope();
        var x = randn(c.Shape, generator: new TorchSharp.torch.Generator(23)).mul(2);

        using var graph = OnnxGraph.Load(path);
        AssertMatchesOrt(graph, path, x);
    }

    [Theory]
    [InlineData(11, FlattenChain.Gather, false)]
    [InlineData(13, FlattenChain.Gather, false)]
    [InlineData(13, FlattenChain.Gather, true)]
    [InlineData(9, FlattenChain.Slice, false)]
    [InlineData(13, FlattenChain.Slice, false)]
    [InlineData(13, FlattenChain.Slice, true)]
    public void Dynamic_batch_reshape_is_folded_at_load_and_follows_the_batch(int opset, FlattenChain chain, bool shapeOfGraphInput)
    {
        using var dir = new TempDirectory();
        string path = Flatten(opset, chain, shapeOfGraphInput ? "input_1" : null).Save(dir.File("flatten.onnx"));
        using var graph = OnnxGraph.Load(path);
        using var scope = NewDisposeScope();

        // Relu, Reshape, MatMul, Add: the shape arithmetic no longer runs.
        Assert.Equal(4, graph.RuntimeNodeCount);
        foreach (long batch in new long[] { 1, 3 })
        {
            var x = randn([batch, 4, 4, 3], generator: new TorchSharp.torch.Generator((ulong)batch));
            AssertMatchesOrt(graph, path, x);
        }
    }

    [Theory]
    [InlineData("batch read at index 1")]
    [InlineData("allowzero")]
    [InlineData("shape of another input")]
    [InlineData("Concat not on the batch first")]
    [InlineData("shape read before a Transpose that moves the batch")]
    public void Reshape_whose_target_is_not_only_the_batch_is_not_folded(string variant)
    {
        using var dir = new TempDirectory();
        var builder = variant switch
        {
            "batch read at index 1" => Flatten(13, FlattenChain.Gather, gatherIndex: 1),
            "allowzero" => Flatten(14, FlattenChain.Gather, allowZero: true),
            "shape of another input" => Flatten(13, FlattenChain.Gather, shapeOf: "input_2"),
            "shape read before a Transpose that moves the batch" => Flatten(13, FlattenChain.Gather, transposeBatch: true),
            _ => Flatten(13, FlattenChain.Gather, batchLast: true),
        };
        if (variant == "shape of another input") builder.Input("input_2", null, 2);
        string path = builder.Save(dir.File("flatten.onnx"));
        using var graph = OnnxGraph.Load(path);
        using var scope = NewDisposeScope();

        // Nothing folded: Relu, (Transpose,) Shape, Gather, Unsqueeze, Concat, Reshape, then MatMul and Add or Identity.
        bool endsAtReshape = variant is "batch read at index 1" or "Concat not on the batch first";
        Assert.Equal(endsAtReshape ? 7 : variant.Contains("Transpose") ? 9 : 8, graph.RuntimeNodeCount);
        var x = randn([2, 4, 4, 3], generator: new TorchSharp.torch.Generator(5));
        if (variant == "shape of another input") AssertMatchesOrt(graph, path, x, randn(2, 2));
        else AssertMatchesOrt(graph, path, x);
    }

    [Fact]
    public void Batch_normalization_with_a_leftover_spatial_attribute_at_opset_9_runs_as_without_it()
    {
        // ONNX Runtime rejects the attribute from opset 9 on, where it was removed; older tf2onnx still wrote it.
        using var dir = new TempDirectory();
        string withSpatial = ConvBatchNorm(9, folded: false, spatial: true).Save(dir.File("spatial.onnx"));
        string without = ConvBatchNorm(9, folded: false).Save(dir.File("plain.onnx"));
        using var graph = OnnxGraph.Load(withSpatial);
        using var scope = NewDisposeScope();
        var x = randn([2, 6, 6, 3], generator: new TorchSharp.torch.Generator(14));

        var expected = OrtOracle.Run(without, new Dictionary<string, Tensor> { ["input_1"] = x })["y"];
        using var run = graph.Run(x);

        Assert.True(OrtOracle.RelativeDifference(run.Output, expected) < ForwardTolerance);
    }

    [Fact]
    public void Folded_reshape_passes_the_input_gradient_through()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(Flatten(13, FlattenChain.Gather).Save(dir.File("flatten.onnx")));
        using var scope = NewDisposeScope();
        var x = randn([2, 4, 4, 3], generator: new TorchSharp.torch.Generator(8));

        var gradient = InputGradient(graph, x, out var weights);
        var expected = ReferenceGradient(x, weights, v => v.relu().reshape(2, 48).matmul(tensor(Series(48 * 5, 0.2f), [48, 5])).add(tensor(Series(5), [5])));

        AssertClose(gradient, expected, GradientTolerance);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(11)]
    [InlineData(13)]
    public void Relu6_gradient_is_one_inside_zero_to_six_and_zero_outside(int opset)
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(Relu6(opset).Save(dir.File("relu6.onnx")));
        using var scope = NewDisposeScope();
        // Values from -2.95 to 8.95 in steps of 0.1: none sits on a bound, where the derivative is not defined.
        var x = arange(150).mul(0.1).sub(2.95).reshape(2, 5, 5, 3).to(ScalarType.Float32);
        // The graph scales by 1 so the values reach the bounds unchanged.
        using var run = graph.Run(x, new RunOptions { InputGradient = true });
        var gradient = Gradients.Of(run.Output.sum(), run.Inputs[0]);

        var expected = x.gt(0).logical_and(x.lt(6)).to(ScalarType.Float32);
        Assert.True(run.Output.allclose(x.clamp(0, 6)));
        Assert.True(gradient.eq(expected).all().item<bool>());
        Assert.True(expected.sum().item<float>() is > 0 and < 150);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Pad_before_a_valid_conv_input_gradient_matches_torchsharp(int opset)
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(PaddedConv(opset).Save(dir.File("pad.onnx")));
        using var scope = NewDisposeScope();
        var x = randn([2, 7, 7, 3], generator: new TorchSharp.torch.Generator(9));

        var gradient = InputGradient(graph, x, out var weights);
        var expected = ReferenceGradient(x, weights, v =>
        {
            var padded = F.pad(v.permute(0, 3, 1, 2), [0, 1, 0, 1]);
            return F.conv2d(padded, tensor(Series(4 * 3 * 3 * 3), [4, 3, 3, 3]), tensor(Series(4, 0.1f), [4]), [2, 2]).permute(0, 2, 3, 1).relu();
        });

        AssertClose(gradient, expected, GradientTolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Depthwise_conv_input_gradient_matches_torchsharp(int multiplier)
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(Depthwise(13, multiplier).Save(dir.File("depthwise.onnx")));
        using var scope = NewDisposeScope();
        long size = multiplier == 1 ? 8 : 7;
        var x = randn([2, size, size, 4], generator: new TorchSharp.torch.Generator(10));

        var gradient = InputGradient(graph, x, out var weights);
        var expected = ReferenceGradient(x, weights, v =>
        {
            long[] pads = multiplier == 1 ? [0, 1, 0, 1] : [1, 1, 1, 1];
            var padded = F.pad(v.permute(0, 3, 1, 2), pads);
            var w = tensor(Series(4 * multiplier * 9), [4 * multiplier, 1, 3, 3]);
            return F.conv2d(padded, w, tensor(Series(4 * multiplier, 0.1f), [4 * multiplier]), [2, 2], groups: 4).permute(0, 2, 3, 1);
        });

        AssertClose(gradient, expected, GradientTolerance);
    }

    [Fact]
    public void Transposed_conv_chain_input_gradient_matches_torchsharp()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(TransposedConvs(13).Save(dir.File("chain.onnx")));
        using var scope = NewDisposeScope();
        var x = randn([2, 9, 9, 3], generator: new TorchSharp.torch.Generator(11));

        var gradient = InputGradient(graph, x, out var weights);
        var expected = ReferenceGradient(x, weights, v =>
        {
            var h = v.permute(0, 3, 1, 2);
            foreach (var (input, output, _) in ChainLayers)
            {
                var w = tensor(Series((int)(output * input * 9), 0.3f), [output, input, 3, 3]);
                h = F.conv2d(h, w, tensor(Series((int)output, 0.1f), [output]), padding: [1, 1]).relu();
            }
            return h.permute(0, 2, 3, 1);
        });

        AssertClose(gradient, expected, GradientTolerance);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Squeeze_excitation_input_gradient_matches_torchsharp(int opset)
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(SqueezeExcite(opset).Save(dir.File("se.onnx")));
        using var scope = NewDisposeScope();
        var x = randn([2, 4, 4, 3], generator: new TorchSharp.torch.Generator(12));

        var gradient = InputGradient(graph, x, out var weights);
        var expected = ReferenceGradient(x, weights, v =>
        {
            var squeezed = v.mean([1, 2]).matmul(tensor(Series(9, 0.5f), [3, 3])).sigmoid();
            return v.mul(squeezed.unsqueeze(1).unsqueeze(2));
        });

        AssertClose(gradient, expected, GradientTolerance);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(15)]
    public void Batch_normalization_input_gradient_matches_the_folded_conv(int opset)
    {
        using var dir = new TempDirectory();
        using var unfolded = OnnxGraph.Load(ConvBatchNorm(opset, folded: false).Save(dir.File("bn.onnx")));
        using var folded = OnnxGraph.Load(ConvBatchNorm(13, folded: true).Save(dir.File("folded.onnx")));
        using var scope = NewDisposeScope();
        var x = randn([2, 6, 6, 3], generator: new TorchSharp.torch.Generator(13));

        var gradient = InputGradient(unfolded, x, out var weights);
        var expected = ReferenceGradient(x, weights, v =>
        {
            var (w, b) = FoldedConv();
            return F.conv2d(v.permute(0, 3, 1, 2), tensor(w, [4, 3, 3, 3]), tensor(b, [4]), padding: [1, 1]).permute(0, 2, 3, 1);
        });

        AssertClose(gradient, expected, GradientTolerance);
        AssertClose(InputGradient(folded, x, out _), expected, GradientTolerance);
    }

    /// <summary>How the Reshape target's batch element is read from the shape.</summary>
    public enum FlattenChain
    {
        /// <summary>Shape, Gather(0), Unsqueeze: tf.shape(x)[0] via strided_slice.</summary>
        Gather,

        /// <summary>Shape, Slice(0:1).</summary>
        Slice,
    }

    /// <summary>
    /// Keras Flatten then Dense as tf2onnx writes it: Relu, then Reshape(relu, Concat(batch, [48])) with the batch read
    /// from the shape of <paramref name="shapeOf"/> (the Relu by default), then MatMul and Add.
    /// </summary>
    private static TestModelBuilder Flatten(int opset, FlattenChain chain, string? shapeOf = null, long gatherIndex = 0,
        bool allowZero = false, bool batchLast = false, bool transposeBatch = false)
    {
        var b = new TestModelBuilder(opset).Input("input_1", null, 4, 4, 3)
            .Initializer("model/dense/MatMul/ReadVariableOp:0", Series(48 * 5, 0.2f), 48, 5)
            .Initializer("model/dense/BiasAdd/ReadVariableOp:0", Series(5), 5)
            .Initializer("const_fold_opt__21", [gatherIndex == 0 && !batchLast ? 48L : -1L], 1)
            .NamedNode("Relu", "model/re_lu/Relu", ["input_1"], ["model/re_lu/Relu:0"])
            .NamedNode("Shape", "model/flatten/Shape", [shapeOf ?? "model/re_lu/Relu:0"], ["model/flatten/Shape:0"]);
        if (chain == FlattenChain.Gather)
        {
            b.Initializer("model/flatten/strided_slice/stack:0", [gatherIndex])
                .NamedNode("Gather", "model/flatten/strided_slice", ["model/flatten/Shape:0", "model/flatten/strided_slice/stack:0"], ["model/flatten/strided_slice:0"], ("axis", 0L));
            if (opset >= 13)
            {
                b.Initializer("const_axes__15", [0L], 1)
                    .NamedNode("Unsqueeze", "model/flatten/Reshape/shape_Unsqueeze__16", ["model/flatten/strided_slice:0", "const_axes__15"], ["batch:0"]);
            }
            else
            {
                b.NamedNode("Unsqueeze", "model/flatten/Reshape/shape_Unsqueeze__16", ["model/flatten/strided_slice:0"], ["batch:0"], ("axes", new long[] { 0 }));
            }
        }
        else if (opset >= 10)
        {
            b.Initializer("const_starts__17", [0L], 1).Initializer("const_ends__18", [1L], 1).Initializer("const_axes__19", [0L], 1)
                .NamedNode("Slice", "model/flatten/strided_slice", ["model/flatten/Shape:0", "const_starts__17", "const_ends__18", "const_axes__19"], ["batch:0"]);
        }
        else
        {
            b.NamedNode("Slice", "model/flatten/strided_slice", ["model/flatten/Shape:0"], ["batch:0"],
                ("starts", new long[] { 0 }), ("ends", new long[] { 1 }), ("axes", new long[] { 0 }));
        }
        string[] parts = batchLast ? ["const_fold_opt__21", "batch:0"] : ["batch:0", "const_fold_opt__21"];
        b.NamedNode("Concat", "model/flatten/Reshape/shape_Concat__22", parts, ["model/flatten/Reshape/shape:0"], ("axis", 0L));
        var reshapeAttributes = allowZero ? new (string, object)[] { ("allowzero", 1L) } : [];
        string data = "model/re_lu/Relu:0";
        if (transposeBatch)
        {
            // The reshaped tensor's dimension 0 is no longer the batch the shape was read from.
            b.NamedNode("Transpose", "model/permute/transpose", [data], ["model/permute/transpose:0"], ("perm", new long[] { 1, 0, 2, 3 }));
            data = "model/permute/transpose:0";
        }
        b.NamedNode("Reshape", "model/flatten/Reshape", [data, "model/flatten/Reshape/shape:0"], ["model/flatten/Reshape:0"], reshapeAttributes);
        if (gatherIndex != 0 || batchLast)
        {
            // The target is not [batch, 48]: the graph ends at the reshape.
            return b.NamedNode("Identity", "Identity", ["model/flatten/Reshape:0"], ["y"]).Output("y");
        }
        return b
            .NamedNode("MatMul", "model/dense/MatMul", ["model/flatten/Reshape:0", "model/dense/MatMul/ReadVariableOp:0"], ["model/dense/MatMul:0"])
            .NamedNode("Add", "model/dense/BiasAdd", ["model/dense/MatMul:0", "model/dense/BiasAdd/ReadVariableOp:0"], ["y"])
            .Output("y");
    }

    /// <summary>ZeroPadding2D((0,1),(0,1)) on NHWC, then Conv2D 3x3 stride 2 VALID with bias and ReLU.</summary>
    private static TestModelBuilder PaddedConv(int opset)
    {
        var b = new TestModelBuilder(opset).Input("input_1", null, 7, 7, 3)
            .Initializer("model/zero_padding2d/Pad/paddings:0", [0L, 0, 0, 0, 0, 1, 1, 0], 8)
            .Initializer("model/conv2d/Conv2D/ReadVariableOp:0", Series(4 * 3 * 3 * 3), 4, 3, 3, 3)
            .Initializer("model/conv2d/BiasAdd/ReadVariableOp:0", Series(4, 0.1f), 4);
        string[] padInputs = ["input_1", "model/zero_padding2d/Pad/paddings:0"];
        if (opset >= 13)
        {
            b.Initializer("model/zero_padding2d/Pad/constant_values:0", [0f]);
            padInputs = [.. padInputs, "model/zero_padding2d/Pad/constant_values:0"];
        }
        return b
            .NamedNode("Pad", "model/zero_padding2d/Pad", padInputs, ["model/zero_padding2d/Pad:0"], ("mode", "constant"))
            .NamedNode("Transpose", "model/conv2d/Conv2D__6", ["model/zero_padding2d/Pad:0"], ["model/conv2d/Conv2D__6:0"], ("perm", new long[] { 0, 3, 1, 2 }))
            .NamedNode("Conv", "model/conv2d/Conv2D", ["model/conv2d/Conv2D__6:0", "model/conv2d/Conv2D/ReadVariableOp:0", "model/conv2d/BiasAdd/ReadVariableOp:0"],
                ["model/conv2d/BiasAdd:0"], ("auto_pad", "VALID"), ("strides", new long[] { 2, 2 }), ("kernel_shape", new long[] { 3, 3 }), ("dilations", new long[] { 1, 1 }))
            .NamedNode("Transpose", "model/conv2d/BiasAdd__8", ["model/conv2d/BiasAdd:0"], ["model/conv2d/BiasAdd__8:0"], ("perm", new long[] { 0, 2, 3, 1 }))
            .NamedNode("Relu", "model/conv2d/Relu", ["model/conv2d/BiasAdd__8:0"], ["y"])
            .Output("y");
    }

    /// <summary>tf.nn.relu6 after a scale: Clip(0, 6) with the bounds as inputs (opset 11+) or attributes.</summary>
    private static TestModelBuilder Relu6(int opset)
    {
        var b = new TestModelBuilder(opset).Input("input_1", null, 5, 5, 3).Initializer("model/scale:0", [1f]);
        // ONNX Runtime implements Mul from opset 7 on.
        if (opset >= 7) b.NamedNode("Mul", "model/mul", ["input_1", "model/scale:0"], ["model/mul:0"]);
        else b.NamedNode("Identity", "model/mul", ["input_1"], ["model/mul:0"]);
        if (opset >= 11)
        {
            b.Initializer("model/re_lu/Relu6/min:0", [0f]).Initializer("model/re_lu/Relu6/max:0", [6f])
                .NamedNode("Clip", "model/re_lu/Relu6", ["model/mul:0", "model/re_lu/Relu6/min:0", "model/re_lu/Relu6/max:0"], ["y"]);
        }
        else
        {
            b.NamedNode("Clip", "model/re_lu/Relu6", ["model/mul:0"], ["y"], ("min", 0f), ("max", 6f));
        }
        return b.Output("y");
    }

    /// <summary>DepthwiseConv2D 3x3 stride 2 with depth multiplier <paramref name="multiplier"/> on 4 channels, between Transposes.</summary>
    private static TestModelBuilder Depthwise(int opset, int multiplier)
    {
        long size = multiplier == 1 ? 8 : 7;
        long[] pads = multiplier == 1 ? [0, 0, 1, 1] : [1, 1, 1, 1];
        return new TestModelBuilder(opset).Input("input_1", null, size, size, 4)
            .Initializer("model/depthwise_conv2d/depthwise/ReadVariableOp:0", Series(4 * multiplier * 9), 4 * multiplier, 1, 3, 3)
            .Initializer("model/depthwise_conv2d/BiasAdd/ReadVariableOp:0", Series(4 * multiplier, 0.1f), 4 * multiplier)
            .NamedNode("Transpose", "model/depthwise_conv2d/depthwise__6", ["input_1"], ["t:0"], ("perm", new long[] { 0, 3, 1, 2 }))
            .NamedNode("Conv", "model/depthwise_conv2d/depthwise", ["t:0", "model/depthwise_conv2d/depthwise/ReadVariableOp:0", "model/depthwise_conv2d/BiasAdd/ReadVariableOp:0"],
                ["c:0"], ("group", 4L), ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", pads), ("dilations", new long[] { 1, 1 }))
            .NamedNode("Transpose", "model/depthwise_conv2d/BiasAdd__8", ["c:0"], ["y"], ("perm", new long[] { 0, 2, 3, 1 }))
            .Output("y");
    }

    /// <summary>Two activations and a 1x1 convolution (transposed back to NHWC) concatenated on axis 3, then with the input on axis -1.</summary>
    private static TestModelBuilder ConcatNhwc(int opset) => new TestModelBuilder(opset).Input("input_1", null, 4, 5, 3)
        .Initializer("model/conv2d/Conv2D/ReadVariableOp:0", Series(2 * 3), 2, 3, 1, 1)
        .NamedNode("Relu", "model/re_lu/Relu", ["input_1"], ["a:0"])
        .NamedNode("Sigmoid", "model/activation/Sigmoid", ["input_1"], ["b:0"])
        .NamedNode("Transpose", "model/conv2d/Conv2D__6", ["input_1"], ["t:0"], ("perm", new long[] { 0, 3, 1, 2 }))
        .NamedNode("Conv", "model/conv2d/Conv2D", ["t:0", "model/conv2d/Conv2D/ReadVariableOp:0"], ["c:0"], ("kernel_shape", new long[] { 1, 1 }))
        .NamedNode("Transpose", "model/conv2d/Conv2D__8", ["c:0"], ["c_nhwc:0"], ("perm", new long[] { 0, 2, 3, 1 }))
        .NamedNode("Concat", "model/concatenate/concat", ["a:0", "b:0", "c_nhwc:0"], ["cat:0"], ("axis", 3L))
        .NamedNode("Concat", "model/concatenate_1/concat", ["cat:0", "input_1"], ["y"], ("axis", -1L))
        .Output("y");

    /// <summary>(input channels, output channels, name) of the transposed convolution chain.</summary>
    private static readonly (long Input, long Output, string Name)[] ChainLayers = [(3, 8, "conv2d"), (8, 8, "conv2d_1"), (8, 6, "conv2d_2")];

    /// <summary>Older tf2onnx: NHWC, then Transpose, Conv, Transpose, Relu for every layer.</summary>
    private static TestModelBuilder TransposedConvs(int opset)
    {
        var b = new TestModelBuilder(opset).Input("input_1", null, 9, 9, 3);
        string current = "input_1";
        int id = 6;
        foreach (var (input, output, name) in ChainLayers)
        {
            string weight = $"model/{name}/Conv2D/ReadVariableOp:0", bias = $"model/{name}/BiasAdd/ReadVariableOp:0";
            b.Initializer(weight, Series((int)(output * input * 9), 0.3f), output, input, 3, 3).Initializer(bias, Series((int)output, 0.1f), output)
                .NamedNode("Transpose", $"model/{name}/Conv2D__{id}", [current], [$"model/{name}/Conv2D__{id}:0"], ("perm", new long[] { 0, 3, 1, 2 }))
                .NamedNode("Conv", $"model/{name}/Conv2D", [$"model/{name}/Conv2D__{id}:0", weight, bias], [$"model/{name}/BiasAdd:0"],
                    ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }), ("strides", new long[] { 1, 1 }))
                .NamedNode("Transpose", $"model/{name}/BiasAdd__{id + 2}", [$"model/{name}/BiasAdd:0"], [$"model/{name}/BiasAdd__{id + 2}:0"], ("perm", new long[] { 0, 2, 3, 1 }))
                .NamedNode("Relu", $"model/{name}/Relu", [$"model/{name}/BiasAdd__{id + 2}:0"], [$"model/{name}/Relu:0"]);
            current = $"model/{name}/Relu:0";
            id += 4;
        }
        return b.NamedNode("Identity", "Identity", [current], ["y"]).Output("y");
    }

    /// <summary>
    /// Cast float to float and Identity; Cast of a shape to float and back to int64 as a Reshape target; Cast float
    /// to int64 (truncation toward zero) and int64 back to float.
    /// </summary>
    private static TestModelBuilder CastAndIdentity(int opset) => new TestModelBuilder(opset).Input("input_1", null, 3, 4)
        .Initializer("model/three:0", [3f])
        .NamedNode("Cast", "model/Cast", ["input_1"], ["f:0"], ("to", 1L))
        .NamedNode("Identity", "model/Identity", ["f:0"], ["i:0"])
        .NamedNode("Shape", "model/Shape", ["input_1"], ["s:0"])
        .NamedNode("Cast", "model/Shape_Cast", ["s:0"], ["sf:0"], ("to", 1L))
        .NamedNode("Cast", "model/Shape_Cast_1", ["sf:0"], ["si:0"], ("to", 7L))
        .NamedNode("Reshape", "model/Reshape", ["i:0", "si:0"], ["r:0"])
        .NamedNode("Mul", "model/mul", ["input_1", "model/three:0"], ["m:0"])
        .NamedNode("Cast", "model/truncate", ["m:0"], ["mi:0"], ("to", 7L))
        .NamedNode("Cast", "model/truncate_1", ["mi:0"], ["mf:0"], ("to", 1L))
        .NamedNode("Add", "model/add", ["r:0", "mf:0"], ["y"])
        .Output("y");

    /// <summary>A squeeze-and-excitation block: ReduceMean over H,W keepdims, Squeeze, dense, sigmoid, Unsqueeze, Mul.</summary>
    private static TestModelBuilder SqueezeExcite(int opset)
    {
        var b = new TestModelBuilder(opset).Input("input_1", null, 4, 4, 3)
            .Initializer("model/dense/MatMul/ReadVariableOp:0", Series(9, 0.5f), 3, 3)
            .NamedNode("ReduceMean", "model/global_average_pooling2d/Mean", ["input_1"], ["mean:0"], ("axes", new long[] { 1, 2 }), ("keepdims", 1L));
        if (opset >= 13)
        {
            b.Initializer("const_axes__12", [1L, 2], 2)
                .NamedNode("Squeeze", "model/global_average_pooling2d/Mean_Squeeze__13", ["mean:0", "const_axes__12"], ["squeezed:0"]);
        }
        else
        {
            b.NamedNode("Squeeze", "model/global_average_pooling2d/Mean_Squeeze__13", ["mean:0"], ["squeezed:0"], ("axes", new long[] { 1, 2 }));
        }
        b.NamedNode("MatMul", "model/dense/MatMul", ["squeezed:0", "model/dense/MatMul/ReadVariableOp:0"], ["dense:0"])
            .NamedNode("Sigmoid", "model/dense/Sigmoid", ["dense:0"], ["gate:0"]);
        if (opset >= 13) b.NamedNode("Unsqueeze", "model/reshape/Reshape", ["gate:0", "const_axes__12"], ["gate4:0"]);
        else b.NamedNode("Unsqueeze", "model/reshape/Reshape", ["gate:0"], ["gate4:0"], ("axes", new long[] { 1, 2 }));
        return b.NamedNode("Mul", "model/multiply/mul", ["input_1", "gate4:0"], ["y"]).Output("y");
    }

    private static readonly float[] BnScale = [0.5f, 1.5f, -0.8f, 1.1f];
    private static readonly float[] BnBias = [0.1f, -0.2f, 0.3f, 0f];
    private static readonly float[] BnMean = [0.2f, -0.1f, 0.05f, 0.4f];
    private static readonly float[] BnVariance = [1.5f, 0.5f, 2f, 0.9f];
    private const float BnEpsilon = 1e-3f;

    /// <summary>Conv 3x3 then BatchNormalization (or the same Conv with the normalization folded into its weights), between Transposes.</summary>
    private static TestModelBuilder ConvBatchNorm(int opset, bool folded, bool spatial = false)
    {
        var b = new TestModelBuilder(opset).Input("input_1", null, 6, 6, 3)
            .NamedNode("Transpose", "model/conv2d/Conv2D__6", ["input_1"], ["t:0"], ("perm", new long[] { 0, 3, 1, 2 }));
        if (folded)
        {
            var (w, bias) = FoldedConv();
            b.Initializer("model/conv2d/Conv2D/ReadVariableOp:0", w, 4, 3, 3, 3).Initializer("model/conv2d/BiasAdd/ReadVariableOp:0", bias, 4)
                .NamedNode("Conv", "model/conv2d/Conv2D", ["t:0", "model/conv2d/Conv2D/ReadVariableOp:0", "model/conv2d/BiasAdd/ReadVariableOp:0"], ["bn:0"],
                    ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        }
        else
        {
            b.Initializer("model/conv2d/Conv2D/ReadVariableOp:0", Series(4 * 3 * 9, 0.4f), 4, 3, 3, 3).Initializer("model/conv2d/BiasAdd/ReadVariableOp:0", Series(4, 0.1f), 4)
                .Initializer("model/batch_normalization/gamma:0", BnScale, 4).Initializer("model/batch_normalization/beta:0", BnBias, 4)
                .Initializer("model/batch_normalization/moving_mean:0", BnMean, 4).Initializer("model/batch_normalization/moving_variance:0", BnVariance, 4)
                .NamedNode("Conv", "model/conv2d/Conv2D", ["t:0", "model/conv2d/Conv2D/ReadVariableOp:0", "model/conv2d/BiasAdd/ReadVariableOp:0"], ["c:0"],
                    ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
            var attributes = opset < 9 || spatial ? new (string, object)[] { ("epsilon", BnEpsilon), ("spatial", 1L) } : [("epsilon", BnEpsilon)];
            b.NamedNode("BatchNormalization", "model/batch_normalization/FusedBatchNormV3", ["c:0", "model/batch_normalization/gamma:0", "model/batch_normalization/beta:0",
                "model/batch_normalization/moving_mean:0", "model/batch_normalization/moving_variance:0"], ["bn:0"], attributes);
        }
        return b.NamedNode("Transpose", "model/batch_normalization/FusedBatchNormV3__8", ["bn:0"], ["y"], ("perm", new long[] { 0, 2, 3, 1 })).Output("y");
    }

    /// <summary>The Conv weights and bias of <see cref="ConvBatchNorm"/> with the normalization folded in (as converters do).</summary>
    private static (float[] Weight, float[] Bias) FoldedConv()
    {
        var w = Series(4 * 3 * 9, 0.4f);
        var bias = Series(4, 0.1f);
        var foldedBias = new float[4];
        for (int o = 0; o < 4; o++)
        {
            float factor = BnScale[o] / MathF.Sqrt(BnVariance[o] + BnEpsilon);
            for (int i = 0; i < 27; i++) w[o * 27 + i] *= factor;
            foldedBias[o] = (bias[o] - BnMean[o]) * factor + BnBias[o];
        }
        return (w, foldedBias);
    }

    /// <summary>Runs <paramref name="graph"/> and ONNX Runtime on the inputs (in the graph's order) and compares every output.</summary>
    private static void AssertMatchesOrt(OnnxGraph graph, string path, params Tensor[] inputs)
    {
        var feeds = graph.Inputs.Select((input, i) => (input.Name, inputs[i])).ToDictionary(p => p.Name, p => p.Item2);
        var expected = OrtOracle.Run(path, feeds);
        using var run = graph.Run(inputs);
        for (int i = 0; i < graph.OutputNames.Count; i++)
        {
            var reference = expected[graph.OutputNames[i]];
            double difference = OrtOracle.RelativeDifference(run.Outputs[i], reference);
            Assert.True(difference < ForwardTolerance, $"{graph.OutputNames[i]}: relative difference {difference:g3}");
        }
    }

    /// <summary>The input gradient of a fixed random weighting of the first output (so a wrong permutation shows).</summary>
    private static Tensor InputGradient(OnnxGraph graph, Tensor x, out Tensor weights)
    {
        using var run = graph.Run(x, new RunOptions { InputGradient = true });
        weights = randn(run.Output.shape, generator: new TorchSharp.torch.Generator(99));
        return Gradients.Of(run.Output.mul(weights).sum(), run.Inputs[0]);
    }

    /// <summary>The input gradient of the same weighting of <paramref name="model"/> computed directly in TorchSharp.</summary>
    private static Tensor ReferenceGradient(Tensor x, Tensor weights, Func<Tensor, Tensor> model)
    {
        using var enabled = enable_grad();
        var leaf = x.detach().clone().requires_grad_(true);
        var y = model(leaf);
        return autograd.grad([y.mul(weights).sum()], [leaf])[0];
    }

    private static void AssertClose(Tensor actual, Tensor expected, double tolerance)
    {
        Assert.True(expected.abs().max().item<float>() > 0);
        double difference = OrtOracle.RelativeDifference(actual, expected);
        Assert.True(difference < tolerance, $"relative difference {difference:g3}");
    }

    /// <summary>Deterministic, varied weights.</summary>
    private static float[] Series(int count, float scale = 1f) => Enumerable.Range(0, count).Select(i => scale * MathF.Sin(i * 1.7f + 0.3f)).ToArray();
}
