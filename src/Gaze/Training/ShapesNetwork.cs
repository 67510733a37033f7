using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Training;

/// <summary>
/// The small CAM network Gaze trains on the shapes data set, as the CAM paper prescribes (Zhou et al., CVPR 2016):
/// convolution blocks, a last convolution (the CAM layer) at half the input resolution, global average
/// pooling and one linear layer. Built directly as an ONNX graph so that the engine trains it and writes it like
/// any imported model.
/// </summary>
public static class ShapesNetwork
{
    /// <summary>The input tensor's name.</summary>
    public const string InputName = "image";

    /// <summary>The CAM layer's tensor name (the last convolution's ReLU output).</summary>
    public const string CamLayer = "features";

    /// <summary>The output: pre-softmax class scores [N, classes].</summary>
    public const string OutputName = "logits";

    /// <summary>The input convention the network is trained with: RGB in [0,1], centred, stretched to <paramref name="size"/>.</summary>
    public static ModelInput InputConvention(int size) => new()
    {
        Size = InputSize.Square(size),
        Layout = TensorLayout.NCHW,
        Channels = ChannelOrder.RGB,
        Range = 1,
        Mean = [0.5, 0.5, 0.5],
        Std = [0.25, 0.25, 0.25],
        Resize = ResizeMode.Stretch,
    };

    /// <summary>
    /// Builds the untrained network (He-initialised from <paramref name="seed"/>): conv3x3 16 → max-pool → conv 32 →
    /// conv 64 (dilation 2) → conv 64 (dilation 2; = <see cref="CamLayer"/>, half the input resolution) → global
    /// average pool → linear.
    /// </summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="size">Input side in pixels (divisible by 4).</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <param name="path">The name the graph carries in messages.</param>
    public static OnnxGraph Create(int classes, int size, int seed, string path = "shapes-cnn.onnx")
    {
        if (size % 2 != 0) throw new ArgumentOutOfRangeException(nameof(size), "the input side must be even");
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var graph = new GraphProto { Name = "gaze-shapes-cnn" };
        graph.Input.Add(Value(InputName, [null, 3, size, size]));

        string current = InputName;
        int inChannels = 3;
        // One pooling keeps the CAM layer at half the input resolution (finer maps localise better); dilation in the
        // last two convolutions gives back the receptive field a second pooling would have given.
        (int Channels, bool Pool, long Dilation, string Output)[] blocks =
            [(16, true, 1, "block1"), (32, false, 1, "block2"), (64, false, 2, "block3"), (64, false, 2, CamLayer)];
        foreach (var (channels, pool, dilation, output) in blocks)
        {
            string weight = $"{output}.weight", bias = $"{output}.bias";
            float std = MathF.Sqrt(2f / (inChannels * 9));
            graph.Initializer.Add(TensorProtoConverter.FromTensor(randn([channels, inChannels, 3, 3], generator: generator) * std, weight, OnnxDataType.Float));
            graph.Initializer.Add(TensorProtoConverter.FromTensor(zeros(channels), bias, OnnxDataType.Float));
            string conv = output + ".conv", relu = pool ? output + ".relu" : output;
            graph.Node.Add(Node("Conv", [current, weight, bias], conv, ("pads", new long[] { dilation, dilation, dilation, dilation }),
                ("kernel_shape", new long[] { 3, 3 }), ("dilations", new long[] { dilation, dilation })));
            graph.Node.Add(Node("Relu", [conv], relu));
            current = relu;
            if (pool)
            {
                graph.Node.Add(Node("MaxPool", [relu], output, ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })));
                current = output;
            }
            inChannels = channels;
        }
        graph.Node.Add(Node("GlobalAveragePool", [CamLayer], "pooled"));
        graph.Node.Add(Node("Flatten", ["pooled"], "pooled.flat"));
        float bound = 1f / MathF.Sqrt(inChannels);
        graph.Initializer.Add(TensorProtoConverter.FromTensor((rand([classes, inChannels], generator: generator) * 2 - 1) * bound, "classifier.weight", OnnxDataType.Float));
        graph.Initializer.Add(TensorProtoConverter.FromTensor(zeros(classes), "classifier.bias", OnnxDataType.Float));
        graph.Node.Add(Node("Gemm", ["pooled.flat", "classifier.weight", "classifier.bias"], OutputName, ("transB", 1L)));
        graph.Output.Add(Value(OutputName, [null, classes]));

        var model = new ModelProto { IrVersion = 7, ProducerName = "gaze", ProducerVersion = GazeVersion.Current, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return OnnxGraph.FromModel(model, path);
    }

    /// <summary>A node named after its output and op, as the shipped model's nodes are.</summary>
    private static NodeProto Node(string op, string[] inputs, string output, params (string Name, object Value)[] attributes) =>
        OnnxNodes.Create(op, output + "/" + op, inputs, output, attributes);

    private static ValueInfoProto Value(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long? d in dims)
            shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxDataType.Float, Shape = shape } },
        };
    }
}
