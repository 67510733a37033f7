using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Captured tensors are the real intermediate values; replacing tensors re-runs only what depends on them.</summary>
public sealed class CaptureAndReplaceTests
{
    [Fact]
    public void Captured_activation_equals_onnx_runtimes_intermediate_tensor()
    {
        using var dir = new TempDirectory();
        string path = SharedData.Require("models/resnet18-random.onnx");
        using var graph = OnnxGraph.Load(path);
        string layer = LayerTable.Discover(graph).Resolve("layer3").Name;
        string exposed = OnnxWriterPath(dir, graph, layer);
        using var scope = NewDisposeScope();
        var x = randn([2, 3, 224, 224], generator: new TorchSharp.torch.Generator(3));

        using var run = graph.Run(x, new RunOptions { Capture = [layer] });
        var expected = OrtOracle.Run(exposed, new Dictionary<string, Tensor> { ["input"] = x });

        Assert.StartsWith("/layer3/", layer);
        Assert.Equal([2L, 256, 14, 14], run.Captured[layer].shape);
        Assert.True(OrtOracle.RelativeDifference(run.Captured[layer], expected[layer]) < 1e-5);
        Assert.True(OrtOracle.RelativeDifference(run.Output, expected["logits"]) < 1e-5);
    }

    [Fact]
    public void Captured_activation_of_an_old_fixed_batch_model_equals_onnx_runtime()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(SharedData.Require("models/mnist-cntk.onnx"));
        string exposed = OnnxWriterPath(dir, graph, "ReLU114_Output_0");
        using var scope = NewDisposeScope();
        var x = rand([1, 1, 28, 28], generator: new TorchSharp.torch.Generator(5)).mul(255);

        using var run = graph.Run(x, new RunOptions { Capture = ["ReLU114_Output_0"] });
        var expected = OrtOracle.Run(exposed, new Dictionary<string, Tensor> { ["Input3"] = x });

        Assert.True(OrtOracle.RelativeDifference(run.Captured["ReLU114_Output_0"], expected["ReLU114_Output_0"]) < 1e-5);
    }

    [Fact]
    public void Replacing_a_tensor_with_itself_reproduces_the_output()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/resnet18-random.onnx"));
        string layer = LayerTable.Discover(graph).Resolve("layer4").Name;
        using var scope = NewDisposeScope();
        var x = randn([2, 3, 64, 64], generator: new TorchSharp.torch.Generator(9));

        using var first = graph.Run(x, new RunOptions { Capture = [layer], KeepAll = true });
        using var again = graph.Rerun(first, new Dictionary<string, Tensor> { [layer] = first.Captured[layer] });
        using var fresh = graph.Run(x, new RunOptions { Replace = new Dictionary<string, Tensor> { [layer] = first.Captured[layer] } });

        Assert.True(first.Output.Equals(again.Output));
        Assert.True(first.Output.Equals(fresh.Output));
        // After layer4 come only GlobalAveragePool, Flatten and Gemm.
        Assert.Equal(3, again.ExecutedNodeCount);
        Assert.Equal(graph.RuntimeNodeCount, first.ExecutedNodeCount);
    }

    [Fact]
    public void Replacing_a_layer_skips_every_node_before_it_unless_all_tensors_are_kept()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/resnet18-random.onnx"));
        string layer = LayerTable.Discover(graph).Resolve("layer4").Name;
        string earlier = LayerTable.Discover(graph).Resolve("layer3").Name;
        using var scope = NewDisposeScope();
        var x = randn([1, 3, 64, 64], generator: new TorchSharp.torch.Generator(4));
        Tensor activations;
        using (var first = graph.Run(x, new RunOptions { Capture = [layer] })) activations = first.Captured[layer].clone();
        var replace = new Dictionary<string, Tensor> { [layer] = activations };

        using var replaced = graph.Run(x, new RunOptions { Replace = replace });
        using var capturing = graph.Run(x, new RunOptions { Replace = replace, Capture = [earlier] });
        using var keepingAll = graph.Run(x, new RunOptions { Replace = replace, KeepAll = true });

        // GlobalAveragePool, Flatten and Gemm only; a capture before the layer still runs what it needs.
        Assert.Equal(3, replaced.ExecutedNodeCount);
        Assert.True(capturing.ExecutedNodeCount > 3 && capturing.ExecutedNodeCount < graph.RuntimeNodeCount - 1);
        Assert.Equal(graph.RuntimeNodeCount - 1, keepingAll.ExecutedNodeCount);
        Assert.True(replaced.Output.Equals(keepingAll.Output));
        Assert.Equal(4, capturing.Captured[earlier].dim());
    }

    [Fact]
    public void A_replacement_tensor_stays_the_callers_and_serves_several_runs()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        using var scope = NewDisposeScope();
        var x = rand([1, 3, 224, 224], generator: new TorchSharp.torch.Generator(5)) * 255;
        Tensor replacement;
        using (var run = graph.Run(x, new RunOptions { Capture = ["fire9/concat_1"] })) replacement = run.Captured["fire9/concat_1"].clone();
        replacement[0, 7].fill_(0);

        var options = new RunOptions { Replace = new Dictionary<string, Tensor> { ["fire9/concat_1"] = replacement } };
        using var first = graph.Run(x, options);
        using var second = graph.Run(x, options);
        Assert.True(first.Scores.Equals(second.Scores));
        Assert.Equal(0f, replacement[0, 7].abs().sum().item<float>());
    }

    [Fact]
    public void Replacing_runs_only_the_downstream_nodes()
    {
        using var dir = new TempDirectory();
        // a = Relu(x); b = Sigmoid(a); c = b * x; d = Tanh(a); y = c + d
        var builder = new TestModelBuilder()
            .Input("x", 2, 3)
            .Node("Relu", ["x"], ["a"]).Node("Sigmoid", ["a"], ["b"]).Node("Mul", ["b", "x"], ["c"])
            .Node("Tanh", ["a"], ["d"]).Node("Add", ["c", "d"], ["y"]).Output("y");
        using var graph = OnnxGraph.Load(builder.Save(dir.File("diamond.onnx")));
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -1, 0.5f, 2, 3, -0.25f, 1 }).reshape(2, 3);
        var replacement = full([2, 3], 0.75f);

        using var baseRun = graph.Run(x, new RunOptions { KeepAll = true });
        using var afterB = graph.Rerun(baseRun, new Dictionary<string, Tensor> { ["b"] = replacement });
        using var afterA = graph.Rerun(baseRun, new Dictionary<string, Tensor> { ["a"] = replacement });

        Assert.Equal(5, baseRun.ExecutedNodeCount);
        Assert.Equal(2, afterB.ExecutedNodeCount); // c and y
        Assert.Equal(4, afterA.ExecutedNodeCount); // b, c, d and y
        var expectedB = replacement * x + x.relu().tanh();
        Assert.True(afterB.Output.allclose(expectedB));
        var expectedA = replacement.sigmoid() * x + replacement.tanh();
        Assert.True(afterA.Output.allclose(expectedA));
        // The base run is untouched.
        Assert.True(baseRun.Output.allclose(x.relu().sigmoid() * x + x.relu().tanh()));
    }

    [Fact]
    public void An_unknown_tensor_name_lists_the_nearest_names()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/mnist-cntk.onnx"));
        using var scope = NewDisposeScope();

        var e = Assert.Throws<Gaze.Errors.UnknownLayerException>(() =>
            graph.Run(zeros(1, 1, 28, 28), new RunOptions { Capture = ["ReLU115_Output_0"] }));

        Assert.Contains("ReLU114_Output_0", e.Nearest);
        Assert.Contains("nearest", e.Message);
    }

    private static string OnnxWriterPath(TempDirectory dir, OnnxGraph graph, string extraOutput)
    {
        string path = dir.File("exposed.onnx");
        OnnxWriter.Save(graph, path, [extraOutput]);
        return path;
    }
}
