using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Tests.Onnx;

/// <summary>2-D convolutions run channels-last: same numbers as the NCHW reference, and the layout flows on.</summary>
public sealed class ChannelsLastTests
{
    private static string ConvReluPool(TempDirectory dir, float[] weights)
    {
        return new TestModelBuilder()
            .Input("x", null, 8, 12, 12)
            .Initializer("w", weights, 16, 8, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c"], ["r"])
            .Node("MaxPool", ["r"], ["p"], ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }))
            .Node("Flatten", ["p"], ["y"])
            .Output("y")
            .Save(dir.File("conv-relu-pool.onnx"));
    }

    [Fact]
    public void Convolution_output_is_channels_last_with_the_nchw_values()
    {
        var random = new Random(11);
        float[] weights = Enumerable.Range(0, 16 * 8 * 9).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(ConvReluPool(dir, weights));
        using var scope = NewDisposeScope();
        var x = randn([2, 8, 12, 12], generator: new TorchSharp.torch.Generator(2));

        using var run = graph.Run(x, new RunOptions { Capture = ["c", "p"] });

        // The reference runs on plain contiguous NCHW tensors.
        var w = tensor(weights, [16, 8, 3, 3]);
        var c = F.conv2d(x, w, null, [1, 1], [1, 1]);
        var p = F.max_pool2d(c.relu(), [2, 2], [2, 2]);
        Assert.True(c.is_contiguous());
        Assert.Equal(1, run.Captured["c"].stride(1));
        Assert.Equal(1, run.Captured["p"].stride(1));
        Assert.True(run.Captured["c"].allclose(c, 1e-5, 1e-5));
        Assert.True(run.Output.allclose(p.flatten(1), 1e-5, 1e-5));
    }

    [Fact]
    public void Input_gradient_through_channels_last_matches_nchw()
    {
        var random = new Random(12);
        float[] weights = Enumerable.Range(0, 16 * 8 * 9).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(ConvReluPool(dir, weights));
        using var scope = NewDisposeScope();
        var x = randn([2, 8, 12, 12], generator: new TorchSharp.torch.Generator(4));

        using var run = graph.Run(x, new RunOptions { InputGradient = true });
        var gradient = Gradients.Of(run.Output.sum(), run.Inputs[0]);

        var reference = x.detach().clone().requires_grad_(true);
        var y = F.max_pool2d(F.conv2d(reference, tensor(weights, [16, 8, 3, 3]), null, [1, 1], [1, 1]).relu(), [2, 2], [2, 2]);
        var expected = autograd.grad([y.sum()], [reference])[0];
        Assert.True(gradient.abs().max().item<float>() > 0);
        Assert.True(gradient.allclose(expected, 1e-5, 1e-5));
    }
}
