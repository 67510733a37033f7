using Gaze.Onnx;
using Gaze.Onnx.Operators;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>A run's ReLU backward hook changes the input gradient exactly as the hook says, and nothing else.</summary>
public sealed class ReluHookTests
{
    private static readonly float[] W1 = [0.5f, -1f, 2f, 0.25f, -0.5f, 1f, 1.5f, -2f, 0.75f, -0.25f, 1f, -1.5f];
    private static readonly float[] W2 = [1f, -2f, 0.5f];

    /// <summary>s = relu-like(x W1) W2 with x [1,4], W1 [4,3], W2 [3,1].</summary>
    private static string Model(TempDirectory dir, bool clip)
    {
        var builder = new TestModelBuilder()
            .Input("x", null, 4)
            .Initializer("w1", W1, 4, 3).Initializer("w2", W2, 3, 1)
            .Node("MatMul", ["x", "w1"], ["a"]);
        if (clip) builder.Initializer("lo", [0f]).Initializer("hi", [1f]).Node("Clip", ["a", "lo", "hi"], ["r"]);
        else builder.Node("Relu", ["a"], ["r"]);
        builder.Node("MatMul", ["r", "w2"], ["s"]).Output("s");
        return builder.Save(dir.File(clip ? "clip.onnx" : "relu.onnx"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Guided_backprop_passes_only_positive_gradients_of_active_units(bool clip)
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(Model(dir, clip));
        using var scope = NewDisposeScope();
        // Sample 1: a = x W1 = [0.175, 0.1, -0.6], two active units, one with a negative upstream gradient.
        // Sample 2: a = [0.5, -1, 2], where the last unit is active for ReLU but saturated for Clip(0, 1).
        var x = tensor(new float[] { 0, 0, 0.2f, 0.5f, 1, 0, 0, 0 }).reshape(2, 4);
        var w1 = tensor(W1).reshape(4, 3);
        var w2 = tensor(W2).reshape(3, 1);
        var a = x.matmul(w1);
        var active = clip ? a.gt(0).logical_and(a.lt(1)) : a.gt(0);
        var upstream = w2.t(); // dS/dr

        using var plain = graph.Run(x, new RunOptions { InputGradient = true });
        var plainGradient = Gradients.Of(plain.Output.sum(), plain.Inputs[0]);
        using var guided = graph.Run(x, new RunOptions { InputGradient = true, ReluBackward = ReluBackward.Guided });
        var guidedGradient = Gradients.Of(guided.Output.sum(), guided.Inputs[0]);

        var expectedPlain = (upstream * active).matmul(w1.t());
        var expectedGuided = (upstream * active).clamp_min(0).matmul(w1.t());
        Assert.True(plainGradient.allclose(expectedPlain), plainGradient.ToString(TorchSharp.TensorStringStyle.Julia));
        Assert.True(guidedGradient.allclose(expectedGuided), guidedGradient.ToString(TorchSharp.TensorStringStyle.Julia));
        Assert.False(plainGradient.allclose(guidedGradient));
        Assert.True(plain.Output.Equals(guided.Output));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deconvnet_passes_the_positive_part_of_every_gradient_whatever_the_input(bool clip)
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(Model(dir, clip));
        using var scope = NewDisposeScope();
        // The same samples: inactive, active and (for Clip) saturated units all pass ReLU(dS/dr) = (1, 0, 0.5).
        var x = tensor(new float[] { 0, 0, 0.2f, 0.5f, 1, 0, 0, 0 }).reshape(2, 4);
        var w1 = tensor(W1).reshape(4, 3);
        var upstream = tensor(W2).reshape(3, 1).t();

        using var run = graph.Run(x, new RunOptions { InputGradient = true, ReluBackward = ReluBackward.Deconvnet });
        var gradient = Gradients.Of(run.Output.sum(), run.Inputs[0]);

        var expected = upstream.clamp_min(0).expand(2, 3).matmul(w1.t());
        Assert.True(gradient.allclose(expected), gradient.ToString(TorchSharp.TensorStringStyle.Julia));
    }

    [Fact]
    public void The_hook_sees_input_gradient_and_the_standard_gradient()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(Model(dir, clip: false));
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 0, 0, 0.2f, 0.5f }).reshape(1, 4);
        var calls = 0;
        Tensor? seenInput = null;
        // Zero the gradient: the input gradient must then vanish.
        ReluBackwardHook zero = (input, gradOutput, standard) =>
        {
            calls++;
            seenInput = input.detach().clone();
            Assert.Equal(gradOutput.shape, standard.shape);
            return zeros_like(standard);
        };

        using var run = graph.Run(x, new RunOptions { InputGradient = true, ReluBackward = zero });
        var gradient = Gradients.Of(run.Output.sum(), run.Inputs[0]);

        Assert.Equal(1, calls);
        Assert.True(seenInput!.allclose(x.matmul(tensor(W1).reshape(4, 3))));
        Assert.Equal(0f, gradient.abs().sum().item<float>());
    }
}
