using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>The profile accounts for every node of the forward pass and times the backward pass.</summary>
public sealed class EngineProfilerTests
{
    [Fact]
    public void Profile_covers_every_node_and_the_backward_pass()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        using var scope = NewDisposeScope();
        var input = EngineBenchmark.RandomInput(graph, 2, null);

        EngineProfile profile = EngineProfiler.Measure(graph, input, iterations: 2, backward: true);

        Assert.Equal(graph.RuntimeNodeCount, profile.Nodes.Count);
        Assert.Equal(graph.RuntimeNodeCount, profile.Operators.Sum(o => o.Count));
        Assert.Equal(26, profile.Operators.Single(o => o.OpType == "Conv").Count);
        double nodeTotal = profile.Nodes.Sum(n => n.Milliseconds);
        Assert.InRange(nodeTotal, 0.5 * profile.ForwardMilliseconds, profile.ForwardMilliseconds);
        Assert.True(profile.BackwardMilliseconds > 0);
        Assert.Equal(profile.Nodes.OrderByDescending(n => n.Milliseconds).Select(n => n.Name), profile.Nodes.Select(n => n.Name));
        // Convolutions carry most of SqueezeNet's arithmetic.
        Assert.Equal("Conv", profile.Operators[0].OpType);
    }
}
