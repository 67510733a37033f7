using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Layer discovery: the 4-D tensors, the default CAM layer, module aliases and helpful errors.</summary>
public sealed class LayerTableTests
{
    [Fact]
    public void ResNet_layers_have_shapes_and_the_last_block_is_the_default_cam_layer()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/resnet18-random.onnx"));

        var table = LayerTable.Discover(graph);

        const string last = "/layer4/layer4.1/relu_1/Relu_output_0";
        Assert.Equal(last, table.DefaultCamLayer);
        Assert.False(table.DefaultCamLayerFromSidecar);
        var info = table.Resolve(last);
        Assert.Equal("Relu", info.OpType);
        Assert.Equal([1L, 512, 7, 7], info.Shape);
        // Only the pooled [1,512,1,1] map comes after it.
        Assert.Equal(table.Layers.Count - 2, info.Order);
        Assert.Equal("GlobalAveragePool", table.Layers[^1].OpType);
        Assert.All(table.Layers, l => Assert.Equal(4, l.Shape.Count));
        Assert.Equal("/conv1/Conv_output_0", table.Layers[0].Name);
    }

    [Fact]
    public void Module_paths_are_aliases_for_their_last_layer()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/resnet18-random.onnx"));
        var table = LayerTable.Discover(graph);

        Assert.Equal("/layer4/layer4.1/relu_1/Relu_output_0", table.Resolve("layer4").Name);
        Assert.Equal("/layer4/layer4.0/relu_1/Relu_output_0", table.Resolve("layer4.0").Name);
        Assert.Equal([1L, 128, 28, 28], table.Resolve("layer2").Shape);
        Assert.Contains("layer3", table.ModuleAliases());
    }

    [Fact]
    public void An_unknown_layer_lists_the_nearest_names()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/resnet18-random.onnx"));
        var table = LayerTable.Discover(graph);

        var e = Assert.Throws<UnknownLayerException>(() => table.Resolve("layer5"));

        Assert.Equal("layer5", e.Layer);
        Assert.Contains("layer4", e.Nearest);
        Assert.StartsWith(graph.ModelPath + ":", e.Message);
    }

    [Fact]
    public void SqueezeNet_uses_the_sidecar_layer_otherwise_the_map_feeding_global_pooling()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));

        var byRule = LayerTable.Discover(graph);
        var bySidecar = LayerTable.Discover(graph, camLayer: "fire9/concat_1");

        Assert.Equal("conv10_2", byRule.DefaultCamLayer);
        Assert.Equal("fire9/concat_1", bySidecar.DefaultCamLayer);
        Assert.True(bySidecar.DefaultCamLayerFromSidecar);
        Assert.Equal([1L, 512, 13, 13], bySidecar.Resolve("fire9/concat_1").Shape);
        Assert.Equal("Concat", bySidecar.Resolve("fire9/concat_1").OpType);
        // The scores are pool10_1 [1,1000,1,1], the input of the final Softmax.
        Assert.Equal(1000, bySidecar.ClassCount);
    }

    [Fact]
    public void MobileNet_and_mnist_find_their_last_feature_maps()
    {
        using var mobilenet = OnnxGraph.Load(SharedData.Require("models/mobilenet_v2-random.onnx"));
        using var mnist = OnnxGraph.Load(SharedData.Require("models/mnist-cntk.onnx"));

        var m = LayerTable.Discover(mobilenet);
        var d = LayerTable.Discover(mnist);

        Assert.Equal("/features/features.18/features.18.2/Clip_output_0", m.DefaultCamLayer);
        Assert.Equal([1L, 1280, 7, 7], m.Resolve("features.18").Shape);
        // MNIST flattens its last pooled map (16x4x4) with Reshape before the dense layer.
        Assert.Equal("Pooling160_Output_0", d.DefaultCamLayer);
        Assert.Equal(1000, m.ClassCount);
        Assert.Equal(10, d.ClassCount);
    }

    [Fact]
    public void A_graph_ending_in_softmax_exposes_its_input_as_scores()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 224, 224).mul(50);

        using var run = graph.Run(x);

        Assert.Equal("pool10_1", graph.LogitsName);
        Assert.Equal([2L, 1000], run.Scores.shape);
        Assert.True(run.Scores.softmax(1).allclose(run.Output.reshape(2, 1000), 1e-5, 1e-6));
        Assert.False(run.Scores.allclose(run.Output.reshape(2, 1000)));
    }

    [Fact]
    public void Top_k_predictions_follow_the_logits()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 224, 224).mul(50);
        var labels = Enumerable.Range(0, 1000).Select(i => $"class {i}").ToList();

        var top = ClassRanking.TopK(graph, x, 5, labels);
        var probabilities = graph.Forward(x).reshape(2, 1000);

        Assert.Equal(2, top.Count);
        for (int n = 0; n < 2; n++)
        {
            var expected = probabilities[n].argsort(descending: true)[..5].data<long>().ToArray();
            Assert.Equal(expected, top[n].Select(c => (long)c.Index));
            Assert.Equal($"class {top[n][0].Index}", top[n][0].Label);
            Assert.Equal(probabilities[n, top[n][0].Index].item<float>(), top[n][0].Probability, 1e-5f);
            Assert.True(top[n].Zip(top[n].Skip(1)).All(p => p.First.Logit >= p.Second.Logit));
        }
    }

    [Fact]
    public void A_dropout_mask_is_no_layer_and_naming_it_says_why()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        var table = LayerTable.Discover(graph);

        Assert.DoesNotContain(table.Layers, l => l.Name == "_fire9/concat_mask_1");
        var error = Assert.Throws<UnsuitableLayerException>(() => table.ResolveSpatial("_fire9/concat_mask_1"));
        Assert.Contains("holds Bool values", error.Message);

        var result = CliRunner.Run("explain", SharedData.Require("images/cat-and-dog.png"), "--model", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"),
            "--layer", "_fire9/concat_mask_1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not activations", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
