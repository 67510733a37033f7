using Gaze.Onnx.Proto;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Keras;

/// <summary>
/// ONNX Runtime proves each Keras/PyTorch twin pair computes one function (same probabilities, same last-block
/// activations), that the weights give usable outputs, and that the Keras files keep the tf2onnx quirks they exist for.
/// </summary>
public sealed class KerasTwinOracleTests
{
    public static TheoryData<string> Networks() => new(KerasTwins.Names);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Keras_and_pytorch_twins_compute_the_same_function(string name)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);
        using var scope = NewDisposeScope();
        var x = randn([2, 3, pair.Size, pair.Size], generator: new Generator(11));

        var (probabilities, kerasBlock) = RunKeras(pair, x, directory);
        var (logits, torchBlock) = RunTorch(pair, x, directory);

        Assert.Equal([2L, pair.Classes], probabilities.shape);
        Assert.Equal([2L, pair.Classes], logits.shape);
        Assert.True((logits.softmax(1) - probabilities).abs().max().item<float>() < 1e-5f);
        Assert.True(logits.topk(5).indexes.Equals(probabilities.topk(5).indexes));
        Assert.Equal(pair.LastBlockChw, torchBlock.shape[1..]);
        Assert.True(OrtOracle.RelativeDifference(kerasBlock, torchBlock) < 1e-4);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Twin_weights_give_confident_but_unsaturated_predictions_and_varied_last_blocks(string name)
    {
        using var directory = new TempDirectory();
        foreach (int seed in new[] { 1, 2 })
        {
            var pair = KerasTwins.Build(name, directory.Path, seed);
            using var scope = NewDisposeScope();
            var x = randn([4, 3, pair.Size, pair.Size], generator: new Generator((ulong)(20 + seed)));

            var (probabilities, block) = RunKeras(pair, x, directory);

            var top = probabilities.max(1).values;
            Assert.True(top.min().item<float>() > 0.2f && top.max().item<float>() < 0.95f,
                $"{name} seed {seed}: top-1 probabilities {string.Join(", ", top.data<float>().ToArray())}");
            // CAM needs positive activations that differ across space, in most channels, neither vanishing nor huge.
            Assert.True((block > 0).to(ScalarType.Float32).mean().item<float>() > 0.2f);
            var live = (block.amax([0, 2, 3]) > 0).to(ScalarType.Float32).mean().item<float>();
            Assert.True(live >= 0.75f, $"{name} seed {seed}: {live:P0} of the channels are ever positive");
            float mean = block.mean().item<float>();
            Assert.True(mean > 0.05f && mean < 20, $"{name} seed {seed}: mean activation {mean}");
            var map = block.mean([1]);
            var spread = (map.std([1, 2]) / map.mean([1, 2]).abs()).min().item<float>();
            Assert.True(spread > 0.05f, $"{name} seed {seed}: channel-mean map varies by {spread} across space");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Keras_files_keep_the_tf2onnx_layout_and_torch_files_the_exporter_layout(string name)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);
        var keras = ModelProto.Parser.ParseFrom(File.ReadAllBytes(pair.KerasPath));
        var torch = ModelProto.Parser.ParseFrom(File.ReadAllBytes(pair.TorchPath));
        var nodes = keras.Graph.Node;

        Assert.Equal(13, keras.OpsetImport.Single().Version);
        var input = Assert.Single(keras.Graph.Input);
        Assert.Equal("input_1", input.Name);
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.StartsWith("unk__", dims[0].DimParam);
        Assert.Equal([pair.Size, pair.Size, 3L], dims.Skip(1).Select(d => d.DimValue));
        Assert.Equal("Transpose", nodes[0].OpType);
        Assert.Equal([0L, 3, 1, 2], Perm(nodes[0]));
        Assert.Equal("Softmax", nodes[^1].OpType);
        Assert.Equal(nodes[^1].Output.Single(), keras.Graph.Output.Single().Name);
        Assert.All(nodes.Where(n => n.OpType == "Conv"), conv => Assert.Equal(3, conv.Input.Count));
        Assert.All(nodes.Take(nodes.Count - 1).SelectMany(n => n.Output), output => Assert.EndsWith(":0", output));
        Assert.All(nodes, n => Assert.StartsWith("StatefulPartitionedCall/model/", n.Name));
        Assert.Contains(nodes, n => n.Output.Contains(pair.KerasLastBlock));
        Assert.Contains(pair.KerasAlias + "/", pair.KerasLastBlock);
        Assert.DoesNotContain(nodes, n => n.OpType is "Gemm" or "GlobalAveragePool" or "Flatten");
        Assert.Contains(nodes, n => n.OpType == "MatMul");
        if (pair.LinearHead)
        {
            var mean = Assert.Single(nodes, n => n.OpType == "ReduceMean");
            Assert.Equal([1L, 2], mean.Attribute.Single(a => a.Name == "axes").Ints);
        }

        switch (name)
        {
            case "gap-cnn":
                Assert.Equal(["Transpose", "Conv", "Relu", "MaxPool", "Conv", "Relu", "Transpose", "ReduceMean", "MatMul", "Add", "Softmax"],
                    nodes.Select(n => n.OpType));
                break;
            case "vgg-like":
                Assert.Contains(nodes, n => n.Name.EndsWith("block5_conv3/Conv2D", StringComparison.Ordinal));
                Assert.Equal(["Shape", "Gather", "Unsqueeze", "Concat", "Reshape"],
                    nodes.SkipWhile(n => n.OpType != "Shape").Take(5).Select(n => n.OpType));
                Assert.Equal(2, nodes.Count(n => n.OpType == "MatMul"));
                break;
            case "resnet-like":
                Assert.Contains(nodes, n => n.OpType == "BatchNormalization");
                Assert.Contains(nodes, n => n.OpType == "Conv" && n.Output[0].EndsWith("_bn/FusedBatchNormV3:0", StringComparison.Ordinal));
                Assert.Equal(3, nodes.Count(n => n.OpType == "Add" && n.Name.EndsWith("_add/add", StringComparison.Ordinal)));
                break;
            case "mobilenet-like":
                var pad = Assert.Single(nodes, n => n.OpType == "Pad");
                Assert.Equal([0L, 0, 0, 0, 0, 1, 1, 0], LongConstant(keras, pad.Input[1]));
                Assert.Contains(nodes, n => n.OpType == "Conv" && Attribute(n, "group") > 1);
                Assert.Contains(nodes, n => n.OpType == "Cast");
                Assert.Contains(nodes, n => n.OpType == "Identity");
                foreach (var conv in nodes.Where(n => n.OpType == "Conv"))
                {
                    Assert.Equal([0L, 3, 1, 2], Perm(Producer(nodes, conv.Input[0])));
                    var after = Assert.Single(nodes, n => n.Input.Contains(conv.Output[0]));
                    Assert.Equal([0L, 2, 3, 1], Perm(after));
                    var clip = Assert.Single(nodes, n => n.Input.Contains(after.Output[0]));
                    Assert.Equal("Clip", clip.OpType);
                    Assert.Equal(3, clip.Input.Count);
                }
                Assert.Equal("ReduceMean", Assert.Single(nodes, n => n.Input.Contains(pair.KerasLastBlock)).OpType);
                break;
            case "inception-like":
                var concats = nodes.Where(n => n.OpType == "Concat").ToList();
                Assert.Equal(2, concats.Count);
                Assert.All(concats, c => Assert.Equal(3, Attribute(c, "axis")));
                Assert.EndsWith("mixed9/concat:0", concats[0].Output[0]);
                Assert.Equal(pair.KerasLastBlock, concats[1].Output[0]);
                Assert.Equal([0L, 3, 1, 2], Perm(Assert.Single(nodes, n => n.Input.Contains(concats[0].Output[0]))));
                Assert.Contains(nodes, n => n.OpType == "Squeeze");
                break;
            default:
                Assert.Fail($"no structure checks for {name}");
                break;
        }

        var torchInput = Assert.Single(torch.Graph.Input);
        Assert.Equal("input", torchInput.Name);
        Assert.Equal("batch_size", torchInput.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([3L, pair.Size, pair.Size], torchInput.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal("Gemm", torch.Graph.Node[^1].OpType);
        Assert.DoesNotContain(torch.Graph.Node, n => n.OpType is "Softmax" or "Transpose" or "MatMul");
        Assert.Contains(torch.Graph.Node, n => n.Output.Contains(pair.TorchLastBlock));
        Assert.All(torch.Graph.Node.Take(torch.Graph.Node.Count - 1), n => Assert.Equal(n.Name + "_output_0", n.Output.Single()));
    }

    /// <summary>Probabilities and the last block (as NCHW) from the Keras file fed the NHWC image.</summary>
    private static (Tensor Probabilities, Tensor Block) RunKeras(TwinPair pair, Tensor x, TempDirectory directory)
    {
        string path = WithOutput(pair.KerasPath, pair.KerasLastBlock, directory.File("keras-probe.onnx"), out string output);
        var run = OrtOracle.Run(path, new Dictionary<string, Tensor> { ["input_1"] = x.permute(0, 2, 3, 1) });
        var block = run[pair.KerasLastBlock];
        var chw = pair.LastBlockChw;
        // tf2onnx leaves some last blocks NCHW (between Transposes) and others NHWC; C never equals H in these twins.
        Assert.NotEqual(chw[0], chw[1]);
        if (block.shape[1..].SequenceEqual(new[] { chw[1], chw[2], chw[0] })) block = block.permute(0, 3, 1, 2);
        Assert.Equal(chw, block.shape[1..]);
        return (run[output], block);
    }

    private static (Tensor Logits, Tensor Block) RunTorch(TwinPair pair, Tensor x, TempDirectory directory)
    {
        string path = WithOutput(pair.TorchPath, pair.TorchLastBlock, directory.File("torch-probe.onnx"), out string output);
        var run = OrtOracle.Run(path, new Dictionary<string, Tensor> { ["input"] = x });
        return (run[output], run[pair.TorchLastBlock]);
    }

    /// <summary>A copy of the model that also outputs <paramref name="tensor"/>; <paramref name="output"/> is its original output.</summary>
    private static string WithOutput(string modelPath, string tensor, string copyPath, out string output)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
        output = model.Graph.Output.Single().Name;
        model.Graph.Output.Add(new ValueInfoProto { Name = tensor, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        File.WriteAllBytes(copyPath, Google.Protobuf.MessageExtensions.ToByteArray(model));
        return copyPath;
    }

    private static NodeProto Producer(IEnumerable<NodeProto> nodes, string tensor) => Assert.Single(nodes, n => n.Output.Contains(tensor));

    private static long[] Perm(NodeProto node)
    {
        Assert.Equal("Transpose", node.OpType);
        return [.. node.Attribute.Single(a => a.Name == "perm").Ints];
    }

    private static long Attribute(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name).I;

    private static long[] LongConstant(ModelProto model, string name) => [.. model.Graph.Initializer.Single(t => t.Name == name).Int64Data];
}
