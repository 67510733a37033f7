using Gaze.Onnx.Proto;
using Gaze.Tests.Onnx;
using TorchSharp;

namespace Gaze.Tests.Keras;

/// <summary>One twin pair on disk: the same network and weights exported Keras-style (tf2onnx) and PyTorch-style.</summary>
/// <param name="Name">The network's name, one of <see cref="KerasTwins.Names"/>.</param>
/// <param name="KerasPath">The tf2onnx-style file: NHWC input <c>input_1</c>, softmax probabilities out.</param>
/// <param name="TorchPath">The torch.onnx.export-style file: NCHW input <c>input</c>, logits out.</param>
/// <param name="Size">Input height and width.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="KerasLastBlock">
/// Tensor (Keras file) of the last conv block's output that feeds global pooling or flatten: CAM's default layer. It is
/// NCHW or NHWC depending on the network, as tf2onnx leaves it.
/// </param>
/// <param name="TorchLastBlock">Tensor (PyTorch file) holding the same activations in NCHW.</param>
/// <param name="LastBlockChw">The last block's [C, H, W] at <paramref name="Size"/>.</param>
/// <param name="KerasAlias">A Keras layer name that should resolve to the last block.</param>
/// <param name="LinearHead">True when global average pooling and one Dense layer follow the last block.</param>
internal sealed record TwinPair(string Name, string KerasPath, string TorchPath, int Size, int Classes,
    string KerasLastBlock, string TorchLastBlock, long[] LastBlockChw, string KerasAlias, bool LinearHead);

/// <summary>
/// Builds tiny CNNs twice with the same weights: once as tf2onnx exports a tf.keras model (NHWC input, Transposes,
/// tf-style node and tensor names, softmax output) and once as torch.onnx.export writes the equivalent PyTorch module
/// (NCHW input, scope names, logits out), so tests can check that Gaze treats both alike.
/// </summary>
internal static class KerasTwins
{
    private const int Classes = 10;

    /// <summary>The networks <see cref="Build"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gap-cnn", "vgg-like", "resnet-like", "mobilenet-like", "inception-like"];

    /// <summary>Writes <c>&lt;name&gt;-keras.onnx</c> and <c>&lt;name&gt;-torch.onnx</c> into <paramref name="directory"/>.</summary>
    public static TwinPair Build(string name, string directory, int seed = 1)
    {
        var weights = new Weights(seed);
        int size = name switch
        {
            "vgg-like" => 64,
            "resnet-like" => 48,
            "gap-cnn" or "mobilenet-like" or "inception-like" => 32,
            _ => throw new ArgumentException($"unknown twin network '{name}'", nameof(name)),
        };
        var keras = new KerasGraph(size);
        var torch = new TorchGraph(size);
        var (kerasLast, torchLast, chw, alias, linear) = name switch
        {
            "gap-cnn" => GapCnn(weights, keras, torch),
            "vgg-like" => VggLike(weights, keras, torch),
            "resnet-like" => ResnetLike(weights, keras, torch),
            "mobilenet-like" => MobilenetLike(weights, keras, torch),
            _ => InceptionLike(weights, keras, torch),
        };
        string kerasPath = keras.Builder.Save(Path.Combine(directory, $"{name}-keras.onnx"));
        ScaleHead(keras.Builder.Graph, torch.Builder.Graph, HeadScale(kerasPath, size, seed));
        kerasPath = keras.Builder.Save(kerasPath);
        string torchPath = torch.Builder.Save(Path.Combine(directory, $"{name}-torch.onnx"));
        return new TwinPair(name, kerasPath, torchPath, size, Classes, kerasLast, torchLast, chw, alias, linear);
    }

    private static Parts GapCnn(Weights w, KerasGraph k, TorchGraph t)
    {
        var conv1 = w.Conv(8, 3, 3);
        var conv2 = w.Conv(12, 8, 3);
        var dense = w.Dense(12, Classes);

        string h = k.ToNchw(KerasGraph.InputName, "conv2d/Conv2D");
        h = k.Conv("conv2d/Conv2D", "conv2d/BiasAdd:0", h, conv1, 1, Same3);
        h = k.Op("Relu", "conv2d/Relu", "conv2d/Relu:0", [h]);
        h = k.Op("MaxPool", "max_pooling2d/MaxPool", "max_pooling2d/MaxPool:0", [h], Pool2);
        h = k.Conv("conv2d_1/Conv2D", "conv2d_1/BiasAdd:0", h, conv2, 1, Same3);
        string kerasLast = h = k.Op("Relu", "conv2d_1/Relu", "conv2d_1/Relu:0", [h]);
        h = k.ToNhwc(h, "conv2d_1/Relu");
        h = k.Op("ReduceMean", "global_average_pooling2d/Mean", "global_average_pooling2d/Mean:0", [h], ("axes", new long[] { 1, 2 }), ("keepdims", 0));
        k.Dense("dense", h, dense, "Softmax", "dense");

        string x = t.Conv("conv1", TorchGraph.InputName, conv1, 1, Same3);
        x = t.Op("Relu", "/relu", [x]);
        x = t.Op("MaxPool", "/pool", [x], Pool2);
        x = t.Conv("conv2", x, conv2, 1, Same3);
        string torchLast = x = t.Op("Relu", "/relu_1", [x]);
        t.GapHead(x, dense);
        return new(kerasLast, torchLast, [12, 16, 16], "conv2d_1", true);
    }

    private static Parts VggLike(Weights w, KerasGraph k, TorchGraph t)
    {
        // VGG16's layer names with one conv in the early blocks and three in block5; 64 pixels leave block5 at 4x4.
        int[][] blocks = [[4], [8], [8], [16], [16, 16, 16]];
        var convs = new List<(string Layer, ConvWeights Weights)>();
        int channels = 3;
        for (int b = 0; b < blocks.Length; b++)
        {
            for (int c = 0; c < blocks[b].Length; c++)
            {
                convs.Add(($"block{b + 1}_conv{c + 1}", w.Conv(blocks[b][c], channels, 3)));
                channels = blocks[b][c];
            }
        }
        const int side = 4;
        var fc1 = w.Dense(side * side * channels, 32);
        var predictions = w.Dense(32, Classes);

        string h = k.ToNchw(KerasGraph.InputName, "block1_conv1/Conv2D");
        string x = TorchGraph.InputName;
        int feature = 0;
        foreach (var (layer, conv) in convs)
        {
            if (layer.EndsWith("_conv1", StringComparison.Ordinal) && layer != "block1_conv1")
            {
                string pool = $"block{layer[5] - '1'}_pool";
                h = k.Op("MaxPool", $"{pool}/MaxPool", $"{pool}/MaxPool:0", [h], Pool2);
                x = t.Op("MaxPool", $"/features/features.{feature++}", [x], Pool2);
            }
            h = k.Conv($"{layer}/Conv2D", $"{layer}/BiasAdd:0", h, conv, 1, Same3);
            h = k.Op("Relu", $"{layer}/Relu", $"{layer}/Relu:0", [h]);
            x = t.Conv($"features.{feature++}", x, conv, 1, Same3);
            x = t.Op("Relu", $"/features/features.{feature++}", [x]);
        }
        string kerasLast = h;
        string torchLast = x;

        // Flatten as tf2onnx writes tf.reshape(x, [batch, -1]) with a dynamic batch, on the NHWC tensor.
        h = k.ToNhwc(h, "block5_conv3/Relu");
        string shape = k.Op("Shape", "flatten/Shape", "flatten/Shape:0", [h]);
        string batch = k.Op("Gather", "flatten/strided_slice", "flatten/strided_slice:0", [shape, k.Longs("flatten/strided_slice/stack:0", [0])], ("axis", 0));
        string unsqueezed = k.Op("Unsqueeze", "flatten/Reshape/shape_Unsqueeze__21", "flatten/Reshape/shape_Unsqueeze__21:0",
            [batch, k.Longs("const_axes__20", [0], 1)]);
        string target = k.Op("Concat", "flatten/Reshape/shape_Concat__22", "flatten/Reshape/shape_Concat__22:0",
            [unsqueezed, k.Longs("const_fold_opt__30", [-1], 1)], ("axis", 0));
        h = k.Op("Reshape", "flatten/Reshape", "flatten/Reshape:0", [h, target]);
        h = k.Dense("fc1", h, fc1, "Relu", null);
        k.Dense("predictions", h, predictions, "Softmax", "predictions");

        // Keras flattens (h, w, c), PyTorch (c, h, w): the same first Dense layer reads its rows in another order.
        x = t.Op("Flatten", "", [x], ("axis", 1));
        x = t.Gemm("classifier.0", x, fc1.PermuteRows(side, side, channels), null);
        x = t.Op("Relu", "/classifier/classifier.1", [x]);
        t.Gemm("classifier.2", x, predictions, TorchGraph.OutputName);
        return new(kerasLast, torchLast, [channels, side, side], "block5_conv3", false);
    }

    private static Parts ResnetLike(Weights w, KerasGraph k, TorchGraph t)
    {
        var stem = w.Conv(8, 3, 3);
        var stemNorm = w.Norm(8);
        var dense = w.Dense(16, Classes);

        // conv1_bn stays a BatchNormalization node in both files; PyTorch's conv has no bias, so its running mean
        // absorbs the Keras conv's bias.
        string h = k.ToNchw(KerasGraph.InputName, "conv1_conv/Conv2D");
        h = k.Conv("conv1_conv/Conv2D", "conv1_conv/BiasAdd:0", h, stem, 2, Same3);
        h = k.Norm("conv1_bn/FusedBatchNormV3", h, stemNorm);
        h = k.Op("Relu", "conv1_relu/Relu", "conv1_relu/Relu:0", [h]);
        h = k.Op("MaxPool", "pool1_pool/MaxPool", "pool1_pool/MaxPool:0", [h], Pool2);

        string x = t.Conv("conv1", TorchGraph.InputName, stem with { Bias = null }, 2, Same3);
        x = t.Norm("bn1", x, stemNorm.Absorbing(stem.Bias!));
        x = t.Op("Relu", "/relu", [x]);
        x = t.Op("MaxPool", "/maxpool", [x], Pool2);

        (h, x) = Bottleneck(w, k, t, h, x, "conv2_block1", "layer1.0", 8, 4, 16, 1, projection: true, keepNorms: false);
        (h, x) = Bottleneck(w, k, t, h, x, "conv5_block1", "layer4.0", 16, 8, 16, 2, projection: true, keepNorms: false);
        (h, x) = Bottleneck(w, k, t, h, x, "conv5_block3", "layer4.1", 16, 8, 16, 1, projection: false, keepNorms: true);
        string kerasLast = h;
        string torchLast = x;

        h = k.ToNhwc(h, "conv5_block3_out/Relu");
        h = k.Op("ReduceMean", "avg_pool/Mean", "avg_pool/Mean:0", [h], ("axes", new long[] { 1, 2 }), ("keepdims", 0));
        k.Dense("predictions", h, dense, "Softmax", "predictions");
        t.GapHead(x, dense);
        return new(kerasLast, torchLast, [16, 6, 6], "conv5_block3_out", true);
    }

    /// <summary>A ResNet50-style bottleneck (1x1, 3x3, 1x1, stride on the first 1x1 as in Keras), in both files.</summary>
    private static (string Keras, string Torch) Bottleneck(Weights w, KerasGraph k, TorchGraph t, string h, string x,
        string block, string module, int input, int middle, int output, int stride, bool projection, bool keepNorms)
    {
        string torchScope = TorchGraph.Scope(module);
        var convs = new[] { w.Conv(middle, input, 1), w.Conv(middle, middle, 3), w.Conv(output, middle, 1) };
        var norms = convs.Select(c => w.Norm(c.Out)).ToArray();
        int[] strides = [stride, 1, 1];
        long[][] pads = [NoPads, Same3, NoPads];

        string kerasBranch = h, torchBranch = x;
        for (int i = 0; i < 3; i++)
        {
            string layer = $"{block}_{i + 1}";
            // Torchvision's Bottleneck calls one ReLU module three times: relu, relu_1, relu_2.
            string relu = i == 0 ? "relu" : $"relu_{i}";
            if (keepNorms && i != 1)
            {
                kerasBranch = k.Conv($"{layer}_conv/Conv2D", $"{layer}_conv/BiasAdd:0", kerasBranch, convs[i], strides[i], pads[i]);
                kerasBranch = k.Norm($"{layer}_bn/FusedBatchNormV3", kerasBranch, norms[i]);
                torchBranch = t.Conv($"{module}.conv{i + 1}", torchBranch, convs[i] with { Bias = null }, strides[i], pads[i]);
                torchBranch = t.Norm($"{module}.bn{i + 1}", torchBranch, norms[i].Absorbing(convs[i].Bias!));
            }
            else
            {
                var folded = convs[i].Fold(norms[i]);
                kerasBranch = k.Conv($"{layer}_conv/Conv2D", $"{layer}_bn/FusedBatchNormV3:0", kerasBranch, folded, strides[i], pads[i]);
                torchBranch = t.Conv($"{module}.conv{i + 1}", torchBranch, folded, strides[i], pads[i]);
            }
            if (i < 2)
            {
                kerasBranch = k.Op("Relu", $"{layer}_relu/Relu", $"{layer}_relu/Relu:0", [kerasBranch]);
                torchBranch = t.Op("Relu", $"{torchScope}/{relu}", [torchBranch]);
            }
        }

        string kerasSkip = h, torchSkip = x;
        if (projection)
        {
            var shortcut = w.Conv(output, input, 1).Fold(w.Norm(output));
            kerasSkip = k.Conv($"{block}_0_conv/Conv2D", $"{block}_0_bn/FusedBatchNormV3:0", h, shortcut, stride, NoPads);
            torchSkip = t.Conv($"{module}.downsample.0", x, shortcut, stride, NoPads);
        }
        h = k.Op("Add", $"{block}_add/add", $"{block}_add/add:0", [kerasSkip, kerasBranch]);
        h = k.Op("Relu", $"{block}_out/Relu", $"{block}_out/Relu:0", [h]);
        x = t.Op("Add", torchScope, [torchBranch, torchSkip]);
        x = t.Op("Relu", $"{torchScope}/relu_2", [x]);
        return (h, x);
    }

    private static Parts MobilenetLike(Weights w, KerasGraph k, TorchGraph t)
    {
        // (Keras layer, output channels, stride); depthwise layers keep their channels. Batch norms are folded.
        var conv1 = w.Conv(8, 3, 3).Fold(w.Norm(8));
        var layers = new List<(int Index, ConvWeights Depthwise, ConvWeights Pointwise, int Stride)>();
        int channels = 8;
        foreach (var (index, outputs, stride) in new[] { (1, 16, 1), (2, 16, 2), (3, 16, 1) })
        {
            var depthwise = w.Conv(channels, channels, 3, group: channels).Fold(w.Norm(channels));
            var pointwise = w.Conv(outputs, channels, 1).Fold(w.Norm(outputs));
            layers.Add((index, depthwise, pointwise, stride));
            channels = outputs;
        }
        var dense = w.Dense(channels, Classes);

        // Keras: every conv is wrapped in Transposes, activations live in NHWC. TF's 'same' with stride 2 pads only
        // bottom and right, which PyTorch writes as an explicit ZeroPad2d.
        long[] bottomRight = [0, 0, 1, 1];
        string h = k.WrappedConv("conv1/Conv2D", "conv1_bn/FusedBatchNormV3:0", KerasGraph.InputName, conv1, 2, bottomRight);
        h = k.Relu6("conv1_relu/Relu6", h);
        string x = t.Op("Pad", "/features/features.0", [TorchGraph.InputName, t.Longs("/features/features.0/Constant_output_0", [0, 0, 0, 0, 0, 0, 1, 1])],
            ("mode", "constant"));
        x = t.Conv("features.1", x, conv1, 2, NoPads);
        x = t.Relu6("/features/features.2", x);
        int feature = 3;
        foreach (var (index, depthwise, pointwise, stride) in layers)
        {
            if (stride == 2)
            {
                h = k.Op("Pad", $"conv_pad_{index}/Pad", $"conv_pad_{index}/Pad:0",
                    [h, k.Longs($"conv_pad_{index}/Pad/paddings:0", [0, 0, 0, 0, 0, 1, 1, 0], 8)], ("mode", "constant"));
                string scope = $"/features/features.{feature++}";
                x = t.Op("Pad", scope, [x, t.Longs($"{scope}/Constant_output_0", [0, 0, 0, 0, 0, 0, 1, 1])], ("mode", "constant"));
            }
            long[] pads = stride == 2 ? NoPads : Same3;
            h = k.WrappedConv($"conv_dw_{index}/depthwise", $"conv_dw_{index}_bn/FusedBatchNormV3:0", h, depthwise, stride, pads);
            h = k.Relu6($"conv_dw_{index}_relu/Relu6", h);
            h = k.WrappedConv($"conv_pw_{index}/Conv2D", $"conv_pw_{index}_bn/FusedBatchNormV3:0", h, pointwise, 1, NoPads);
            h = k.Relu6($"conv_pw_{index}_relu/Relu6", h);
            if (index == 1)
            {
                // tf2onnx leaves no-op casts and identities behind.
                h = k.Op("Cast", "tf.cast/Cast", "tf.cast/Cast:0", [h], ("to", 1));
            }

            x = t.Conv($"features.{feature++}", x, depthwise, stride, pads);
            x = t.Relu6($"/features/features.{feature++}", x);
            x = t.Conv($"features.{feature++}", x, pointwise, 1, NoPads);
            x = t.Relu6($"/features/features.{feature++}", x);
        }
        string kerasLast = h;
        string torchLast = x;

        h = k.Op("ReduceMean", "global_average_pooling2d/Mean", "global_average_pooling2d/Mean:0", [h], ("axes", new long[] { 1, 2 }), ("keepdims", 0));
        h = k.Op("Identity", "dropout/Identity", "dropout/Identity:0", [h]);
        k.Dense("predictions", h, dense, "Softmax", "predictions");
        t.GapHead(x, dense);
        return new(kerasLast, torchLast, [channels, 8, 8], "conv_pw_3_relu", true);
    }

    private static Parts InceptionLike(Weights w, KerasGraph k, TorchGraph t)
    {
        var stem = w.Conv(8, 3, 3).Fold(w.Norm(8));
        string h = k.ToNchw(KerasGraph.InputName, "conv2d/Conv2D");
        h = k.Conv("conv2d/Conv2D", "batch_normalization/FusedBatchNormV3:0", h, stem, 1, Same3);
        h = k.Op("Relu", "activation/Relu", "activation/Relu:0", [h]);
        h = k.Op("MaxPool", "max_pooling2d/MaxPool", "max_pooling2d/MaxPool:0", [h], Pool2);
        string x = t.Conv("Conv2d_1a_3x3.conv", TorchGraph.InputName, stem, 1, Same3);
        x = t.Op("Relu", "/Conv2d_1a_3x3", [x]);
        x = t.Op("MaxPool", "/maxpool1", [x], Pool2);

        int convIndex = 1;
        (h, x) = Mixed(w, k, t, h, x, "mixed9", "average_pooling2d", "Mixed_7b", 8, ref convIndex);
        // The next block reads the NHWC concat through a Transpose, as tf2onnx leaves it.
        h = k.ToNchw(h, "max_pooling2d_1/MaxPool");
        h = k.Op("MaxPool", "max_pooling2d_1/MaxPool", "max_pooling2d_1/MaxPool:0", [h], Pool2);
        x = t.Op("MaxPool", "/maxpool2", [x], Pool2);
        (h, x) = Mixed(w, k, t, h, x, "mixed10", "average_pooling2d_1", "Mixed_7c", 14, ref convIndex);
        string kerasLast = h;
        string torchLast = x;

        var dense = w.Dense(14, Classes);
        h = k.Op("ReduceMean", "avg_pool/Mean", "avg_pool/Mean:0", [h], ("axes", new long[] { 1, 2 }), ("keepdims", 1));
        h = k.Op("Squeeze", "avg_pool/Mean_Squeeze__40", "avg_pool/Mean_Squeeze__40:0", [h, k.Longs("const_axes__39", [1, 2], 2)]);
        k.Dense("predictions", h, dense, "Softmax", "predictions");
        t.GapHead(x, dense);
        return new(kerasLast, torchLast, [14, 8, 8], "mixed10", true);
    }

    /// <summary>An Inception block: 1x1; 1x1 then 3x3; 3x3 average pool then 1x1. Keras joins NHWC branches on axis 3.</summary>
    private static (string Keras, string Torch) Mixed(Weights w, KerasGraph k, TorchGraph t, string h, string x,
        string block, string pool, string module, int input, ref int convIndex)
    {
        var b1 = w.Conv(4, input, 1).Fold(w.Norm(4));
        var b2a = w.Conv(4, input, 1).Fold(w.Norm(4));
        var b2b = w.Conv(6, 4, 3).Fold(w.Norm(6));
        var b3 = w.Conv(4, input, 1).Fold(w.Norm(4));
        // TF's average pooling with 'same' padding averages only real pixels; PyTorch must say count_include_pad=False.
        (string, object)[] average = [.. Pool3, ("count_include_pad", 0)];

        int first = convIndex, next = convIndex;
        string KerasConv(string input, ConvWeights c, long[] pads)
        {
            int i = next++;
            string y = k.Conv($"conv2d_{i}/Conv2D", $"batch_normalization_{i}/FusedBatchNormV3:0", input, c, 1, pads);
            return k.Op("Relu", $"activation_{i}/Relu", $"activation_{i}/Relu:0", [y]);
        }
        string k1 = k.ToNhwc(KerasConv(h, b1, NoPads), $"activation_{first}/Relu");
        string k2 = k.ToNhwc(KerasConv(KerasConv(h, b2a, NoPads), b2b, Same3), $"activation_{first + 2}/Relu");
        string pooled = k.Op("AveragePool", $"{pool}/AvgPool", $"{pool}/AvgPool:0", [h], average);
        string k3 = k.ToNhwc(KerasConv(pooled, b3, NoPads), $"activation_{first + 3}/Relu");
        h = k.Op("Concat", $"{block}/concat", $"{block}/concat:0", [k1, k2, k3], ("axis", 3));

        string TorchConv(string branch, string input, ConvWeights c, long[] pads) =>
            t.Op("Relu", $"/{module}/{branch}", [t.Conv($"{module}.{branch}.conv", input, c, 1, pads)]);
        string t1 = TorchConv("branch1x1", x, b1, NoPads);
        string t2 = TorchConv("branch3x3_2", TorchConv("branch3x3_1", x, b2a, NoPads), b2b, Same3);
        string t3 = TorchConv("branch_pool", t.Op("AveragePool", $"/{module}", [x], average), b3, NoPads);
        x = t.Op("Concat", $"/{module}", [t1, t2, t3], ("axis", 1));
        convIndex = next;
        return (h, x);
    }


    /// <summary>
    /// The factor for the last Dense layer that brings the mean top-1 probability on noise images to about 0.55: He
    /// scaling keeps activations sane, but how peaked the softmax is depends on the whole network.
    /// </summary>
    private static double HeadScale(string kerasPath, int size, int seed)
    {
        float[] probabilities;
        using (var scope = torch.NewDisposeScope())
        {
            var x = torch.randn([8, size, size, 3], generator: new torch.Generator((ulong)(1000 + seed)));
            probabilities = OrtOracle.Run(kerasPath, new Dictionary<string, torch.Tensor> { [KerasGraph.InputName] = x }).Values.Single()
                .data<float>().ToArray();
        }
        // log p is the logits up to a per-sample constant, which softmax ignores; the top-1 probability grows with
        // the factor, so bisect on its logarithm.
        double[] logits = probabilities.Select(p => Math.Log(Math.Max(p, 1e-30))).ToArray();
        double low = -6, high = 6;
        for (int i = 0; i < 50; i++)
        {
            double middle = (low + high) / 2;
            if (MeanTop1(logits, Math.Exp(middle)) < 0.55) low = middle;
            else high = middle;
        }
        return Math.Exp((low + high) / 2);
    }

    private static double MeanTop1(double[] logits, double factor)
    {
        double total = 0;
        int samples = logits.Length / Classes;
        for (int s = 0; s < samples; s++)
        {
            var row = logits.AsSpan(s * Classes, Classes);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double l in row) max = Math.Max(max, l);
            foreach (double l in row) sum += Math.Exp(factor * (l - max));
            total += 1 / sum;
        }
        return total / samples;
    }

    /// <summary>Multiplies the last Dense layer's weights and bias (MatMul/Add in Keras, Gemm in PyTorch) by one factor.</summary>
    private static void ScaleHead(GraphProto keras, GraphProto torch, double factor)
    {
        var add = keras.Node.Single(n => n.Output.Contains(keras.Node[^1].Input[0]));
        var matMul = keras.Node.Single(n => n.Output.Contains(add.Input[0]));
        var gemm = torch.Node[^1];
        foreach (var (graph, name) in new[] { (keras, matMul.Input[1]), (keras, add.Input[1]), (torch, gemm.Input[1]), (torch, gemm.Input[2]) })
        {
            var values = graph.Initializer.Single(t => t.Name == name).FloatData;
            for (int i = 0; i < values.Count; i++) values[i] = (float)(values[i] * factor);
        }
    }
    private static readonly long[] NoPads = [0, 0, 0, 0];
    private static readonly long[] Same3 = [1, 1, 1, 1];
    private static readonly (string, object)[] Pool2 = [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })];
    private static readonly (string, object)[] Pool3 =
        [("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 1, 1 }), ("pads", new long[] { 1, 1, 1, 1 })];

    private sealed record Parts(string KerasLast, string TorchLast, long[] Chw, string Alias, bool Linear);

    /// <summary>Conv weights OIHW (shared by both files: both convolve NCHW) and an optional bias.</summary>
    private sealed record ConvWeights(float[] Weight, float[]? Bias, int Out, int In, int Kernel, int Group)
    {
        public long[] Dims => [Out, In / Group, Kernel, Kernel];

        /// <summary>Folds a following batch norm into the weights and bias, as both exporters do.</summary>
        public ConvWeights Fold(NormWeights norm)
        {
            var weight = (float[])Weight.Clone();
            var bias = new float[Out];
            int perOutput = Weight.Length / Out;
            for (int o = 0; o < Out; o++)
            {
                double s = norm.Scale[o] / Math.Sqrt(norm.Variance[o] + NormWeights.Epsilon);
                for (int j = 0; j < perOutput; j++) weight[o * perOutput + j] = (float)(Weight[o * perOutput + j] * s);
                bias[o] = (float)(((Bias?[o] ?? 0) - norm.Mean[o]) * s + norm.Shift[o]);
            }
            return this with { Weight = weight, Bias = bias };
        }
    }

    /// <summary>Batch norm parameters (Keras' epsilon).</summary>
    private sealed record NormWeights(float[] Scale, float[] Shift, float[] Mean, float[] Variance)
    {
        public const float Epsilon = 1e-3f;

        /// <summary>The same norm applied before a bias is added: BN(y + b) with mean m is BN(y) with mean m - b.</summary>
        public NormWeights Absorbing(float[] bias) => this with { Mean = Mean.Select((m, i) => m - bias[i]).ToArray() };
    }

    /// <summary>A Dense layer as Keras stores it: kernel [inputs, outputs] row-major.</summary>
    private sealed record DenseWeights(float[] Kernel, float[] Bias, int Inputs, int Outputs)
    {
        /// <summary>The kernel's rows reordered from Keras' (h, w, c) flattening to PyTorch's (c, h, w).</summary>
        public DenseWeights PermuteRows(int height, int width, int channels)
        {
            var kernel = new float[Kernel.Length];
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        int torchRow = (c * height + y) * width + x, kerasRow = (y * width + x) * channels + c;
                        Array.Copy(Kernel, kerasRow * Outputs, kernel, torchRow * Outputs, Outputs);
                    }
                }
            }
            return this with { Kernel = kernel };
        }

        /// <summary>[outputs, inputs], as PyTorch's Linear stores it for Gemm with transB.</summary>
        public float[] Transposed()
        {
            var t = new float[Kernel.Length];
            for (int i = 0; i < Inputs; i++)
            {
                for (int o = 0; o < Outputs; o++) t[o * Inputs + i] = Kernel[i * Outputs + o];
            }
            return t;
        }
    }

    /// <summary>Deterministic He-scaled weights from one seed.</summary>
    private sealed class Weights(int seed)
    {
        private readonly Random random = new(seed);

        public ConvWeights Conv(int outputs, int inputs, int kernel, int group = 1)
        {
            int fanIn = inputs / group * kernel * kernel;
            return new ConvWeights(Normal(outputs * fanIn, Math.Sqrt(2.0 / fanIn)), Normal(outputs, 0.05), outputs, inputs, kernel, group);
        }

        public NormWeights Norm(int channels) =>
            new(Uniform(channels, 0.7, 1.3), Uniform(channels, -0.2, 0.2), Uniform(channels, -0.2, 0.2), Uniform(channels, 0.4, 1.6));

        public DenseWeights Dense(int inputs, int outputs) =>
            new(Normal(inputs * outputs, Math.Sqrt(2.0 / inputs)), Normal(outputs, 0.1), inputs, outputs);

        private float[] Normal(int count, double std)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                // Box-Muller; 1 - NextDouble() keeps the logarithm finite.
                double u = 1 - random.NextDouble(), v = random.NextDouble();
                values[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
            }
            return values;
        }

        private float[] Uniform(int count, double low, double high)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++) values[i] = (float)(low + (high - low) * random.NextDouble());
            return values;
        }
    }

    /// <summary>Writes a graph the way tf2onnx does: NHWC input, names under <c>StatefulPartitionedCall/model/</c>.</summary>
    private sealed class KerasGraph
    {
        public const string InputName = "input_1";
        private const string Prefix = "StatefulPartitionedCall/model/";
        private int transposes = 5;

        public KerasGraph(int size)
        {
            Builder.Input(InputName, null, size, size, 3);
            Builder.Graph.Name = "tf2onnx";
            Builder.Model.ProducerName = "tf2onnx";
            Builder.Model.ProducerVersion = "1.16.1 15c810";
            Builder.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam = "unk__612";
        }

        public TestModelBuilder Builder { get; } = new(13);

        /// <summary>Adds a node; <paramref name="output"/> is under the model prefix unless it is a graph output.</summary>
        public string Op(string op, string node, string output, string[] inputs, params (string, object)[] attributes)
        {
            string name = output.Contains('/') ? Prefix + output : output;
            Builder.NamedNode(op, Prefix + node, inputs, [name], attributes);
            return name;
        }

        public string ToNchw(string input, string near) => Transpose(input, near, [0, 3, 1, 2]);

        public string ToNhwc(string input, string near) => Transpose(input, near, [0, 2, 3, 1]);

        public string Longs(string name, long[] values, params long[] dims)
        {
            Builder.Initializer(name, values, dims);
            return name;
        }

        public string Conv(string node, string output, string input, ConvWeights c, int stride, long[] pads)
        {
            string weight = Prefix + node + "/ReadVariableOp:0";
            Builder.Initializer(weight, c.Weight, c.Dims);
            string[] inputs = [input, weight];
            if (c.Bias is not null)
            {
                string bias = Prefix + node + "/bias:0";
                Builder.Initializer(bias, c.Bias, c.Out);
                inputs = [input, weight, bias];
            }
            return Op("Conv", node, output, inputs, ConvAttributes(c, stride, pads));
        }

        /// <summary>An NHWC conv as older tf2onnx writes it: Transpose, Conv, Transpose back.</summary>
        public string WrappedConv(string node, string output, string input, ConvWeights c, int stride, long[] pads)
        {
            string nchw = ToNchw(input, node);
            string y = Conv(node, $"{node}__{transposes++}:0", nchw, c, stride, pads);
            string name = $"{node}__{transposes++}";
            Builder.NamedNode("Transpose", Prefix + name, [y], [Prefix + output], ("perm", new long[] { 0, 2, 3, 1 }));
            return Prefix + output;
        }

        public string Norm(string node, string input, NormWeights n)
        {
            string[] inputs = [input, .. new[] { ("gamma", n.Scale), ("beta", n.Shift), ("mean", n.Mean), ("variance", n.Variance) }
                .Select(p => Floats($"{node}/{p.Item1}:0", p.Item2, p.Item2.Length))];
            return Op("BatchNormalization", node, node + ":0", inputs, ("epsilon", NormWeights.Epsilon));
        }

        public string Relu6(string node, string input) =>
            Op("Clip", node, node + ":0", [input, Floats(node + "/min:0", [0f]), Floats(node + "/max:0", [6f])]);

        /// <summary>Dense as MatMul and Add, then its activation; the last layer's softmax writes the graph output.</summary>
        public string Dense(string layer, string input, DenseWeights d, string activation, string? graphOutput)
        {
            string h = Op("MatMul", $"{layer}/MatMul", $"{layer}/MatMul:0", [input, Floats($"{layer}/MatMul/ReadVariableOp:0", d.Kernel, d.Inputs, d.Outputs)]);
            h = Op("Add", $"{layer}/BiasAdd", $"{layer}/BiasAdd:0", [h, Floats($"{layer}/BiasAdd/ReadVariableOp:0", d.Bias, d.Outputs)]);
            h = Op(activation, $"{layer}/{activation}", graphOutput ?? $"{layer}/{activation}:0", [h]);
            if (graphOutput is not null) AddOutput(Builder, graphOutput, "unk__613");
            return h;
        }

        private string Floats(string name, float[] values, params long[] dims)
        {
            Builder.Initializer(Prefix + name, values, dims);
            return Prefix + name;
        }

        private string Transpose(string input, string near, long[] perm)
        {
            string name = $"{near}__{transposes++}";
            Builder.NamedNode("Transpose", Prefix + name, [input], [Prefix + name + ":0"], ("perm", perm));
            return Prefix + name + ":0";
        }
    }

    /// <summary>Writes a graph the way torch.onnx.export does: scope-named nodes, <c>_output_0</c> tensors, logits out.</summary>
    private sealed class TorchGraph
    {
        public const string InputName = "input";
        public const string OutputName = "logits";

        public TorchGraph(int size)
        {
            Builder.Input(InputName, null, 3, size, size);
            Builder.Graph.Name = "main_graph";
            Builder.Model.ProducerName = "pytorch";
            Builder.Model.ProducerVersion = "2.5.1";
            Builder.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam = "batch_size";
        }

        public TestModelBuilder Builder { get; } = new(13);

        /// <summary>The scope path torch gives a module: <c>layer4.1.conv1</c> is <c>/layer4/layer4.1/conv1</c>.</summary>
        public static string Scope(string module)
        {
            var parts = module.Split('.');
            var path = new List<string>();
            for (int i = 0; i < parts.Length; i++)
            {
                path.Add(parts[i].All(char.IsAsciiDigit) ? string.Join('.', parts[..(i + 1)]) : parts[i]);
            }
            return "/" + string.Join('/', path);
        }

        /// <summary>Adds node <c>scope/op</c> writing <c>scope/op_output_0</c> (or the graph output).</summary>
        public string Op(string op, string scope, string[] inputs, params (string, object)[] attributes) =>
            OpTo(op, scope, null, inputs, attributes);

        public string Longs(string name, long[] values)
        {
            Builder.Initializer(name, values, values.Length);
            return name;
        }

        public string Conv(string module, string input, ConvWeights c, int stride, long[] pads)
        {
            Builder.Initializer(module + ".weight", c.Weight, c.Dims);
            string[] inputs = [input, module + ".weight"];
            if (c.Bias is not null)
            {
                Builder.Initializer(module + ".bias", c.Bias, c.Out);
                inputs = [.. inputs, module + ".bias"];
            }
            return Op("Conv", Scope(module), inputs, ConvAttributes(c, stride, pads));
        }

        public string Norm(string module, string input, NormWeights n)
        {
            string[] inputs = [input, .. new[] { ("weight", n.Scale), ("bias", n.Shift), ("running_mean", n.Mean), ("running_var", n.Variance) }
                .Select(p => { Builder.Initializer($"{module}.{p.Item1}", p.Item2, p.Item2.Length); return $"{module}.{p.Item1}"; })];
            return Op("BatchNormalization", Scope(module), inputs, ("epsilon", NormWeights.Epsilon), ("momentum", 0.9f));
        }

        public string Relu6(string scope, string input)
        {
            Builder.Initializer(scope + "/Constant_output_0", [0f]);
            Builder.Initializer(scope + "/Constant_1_output_0", [6f]);
            return Op("Clip", scope, [input, scope + "/Constant_output_0", scope + "/Constant_1_output_0"]);
        }

        public string Gemm(string module, string input, DenseWeights d, string? graphOutput)
        {
            Builder.Initializer(module + ".weight", d.Transposed(), d.Outputs, d.Inputs);
            Builder.Initializer(module + ".bias", d.Bias, d.Outputs);
            string y = OpTo("Gemm", Scope(module), graphOutput, [input, module + ".weight", module + ".bias"],
                ("alpha", 1f), ("beta", 1f), ("transB", 1));
            if (graphOutput is not null) AddOutput(Builder, graphOutput, "batch_size");
            return y;
        }

        /// <summary>torchvision's head: GlobalAveragePool, Flatten, Linear.</summary>
        public string GapHead(string input, DenseWeights d)
        {
            string x = Op("GlobalAveragePool", "/avgpool", [input]);
            x = Op("Flatten", "", [x], ("axis", 1));
            return Gemm("fc", x, d, OutputName);
        }

        private string OpTo(string op, string scope, string? output, string[] inputs, params (string, object)[] attributes)
        {
            string node = $"{scope}/{op}";
            output ??= node + "_output_0";
            Builder.NamedNode(op, node, inputs, [output], attributes);
            return output;
        }
    }

    private static (string, object)[] ConvAttributes(ConvWeights c, int stride, long[] pads) =>
    [
        ("dilations", new long[] { 1, 1 }), ("group", c.Group), ("kernel_shape", new long[] { c.Kernel, c.Kernel }),
        ("pads", pads), ("strides", new long[] { stride, stride }),
    ];

    /// <summary>Declares a [batch, classes] float graph output.</summary>
    private static void AddOutput(TestModelBuilder builder, string name, string batch)
    {
        builder.Output(name);
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = Classes });
        builder.Graph.Output[^1].Type.TensorType.Shape = shape;
    }
}
