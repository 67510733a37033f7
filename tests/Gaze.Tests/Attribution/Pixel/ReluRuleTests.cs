using Gaze.Attribution;
using Gaze.Explaining;
using Gaze.Onnx;
using Gaze.Onnx.Operators;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// Guided Backprop, the deconvnet and Guided Grad-CAM against a backward pass written out by hand on a small network
/// with two ReLUs, where each ReLU rule changes the result.
/// </summary>
public sealed class ReluRuleTests
{
    private const int Targets = 3;

    /// <summary>The network's weights, seeded: x [N,2,6,6] → Conv 3x3 (pads 1) → a1 [N,3,6,6] → Relu = r1 → Conv 3x3
    /// (pads 1, stride 2) → a2 [N,4,3,3] → Relu = r2 → GlobalAveragePool → Flatten → Gemm (transB) → scores [N,3].</summary>
    private sealed record Net(Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor Wg, Tensor Bg)
    {
        public static Net Seeded(int seed)
        {
            manual_seed(seed);
            return new Net(randn(3, 2, 3, 3), randn(3) * 0.5, randn(4, 3, 3, 3), randn(4) * 0.5, randn(Targets, 4), randn(Targets));
        }

        public string Save(TempDirectory dir) => new TestModelBuilder()
            .Input("x", null, 2, 6, 6)
            .Initializer("w1", Values(W1), W1.shape).Initializer("b1", Values(B1), B1.shape)
            .Initializer("w2", Values(W2), W2.shape).Initializer("b2", Values(B2), B2.shape)
            .Initializer("wg", Values(Wg), Wg.shape).Initializer("bg", Values(Bg), Bg.shape)
            .Node("Conv", ["x", "w1", "b1"], ["a1"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["a1"], ["r1"])
            .Node("Conv", ["r1", "w2", "b2"], ["a2"], ("pads", new long[] { 1, 1, 1, 1 }), ("strides", new long[] { 2, 2 }))
            .Node("Relu", ["a2"], ["r2"])
            .Node("GlobalAveragePool", ["r2"], ["pooled"]).Node("Flatten", ["pooled"], ["features"])
            .Node("Gemm", ["features", "wg", "bg"], ["scores"], ("transB", 1L))
            .Output("scores").Save(dir.File("two-relus.onnx"));

        private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();
    }

    /// <summary>
    /// The input gradient of each image's target score, with <paramref name="rule"/> (pre-activation, gradient at the
    /// ReLU's output → gradient passed to its input) as every ReLU's backward pass; convolutions' backward passes are
    /// their transposes.
    /// </summary>
    private static Tensor HandGradient(Net net, Tensor x, int[] targets, Func<Tensor, Tensor, Tensor> rule)
    {
        Tensor a1 = F.conv2d(x, net.W1, net.B1, padding: [1, 1]);
        Tensor a2 = F.conv2d(a1.relu(), net.W2, net.B2, strides: [2, 2], padding: [1, 1]);
        // dS/dr2: the target's Gemm row, spread evenly by the average pool over the 3x3 positions.
        Tensor gR2 = (net.Wg.index_select(0, tensor(targets.Select(t => (long)t).ToArray())) / 9).reshape(-1, 4, 1, 1).expand_as(a2);
        // Stride 2 maps 6 positions onto 3, so the transpose needs one extra row and column to give 6 back.
        Tensor gR1 = F.conv_transpose2d(rule(a2, gR2), net.W2, strides: [2, 2], padding: [1, 1], output_padding: [1, 1]);
        return F.conv_transpose2d(rule(a1, gR1), net.W1, padding: [1, 1]);
    }

    private static Tensor Plain(Tensor a, Tensor g) => g * a.gt(0);

    private static Tensor Guided(Tensor a, Tensor g) => (g * a.gt(0)).clamp_min(0);

    private static Tensor Deconv(Tensor a, Tensor g) => g.clamp_min(0);

    /// <summary>Grad-CAM of r2 by hand: dS/dr2 is the Gemm row over 9 everywhere, so the weights are that mean.</summary>
    private static Tensor HandGradCam(Net net, Tensor x, int[] targets)
    {
        Tensor r2 = F.conv2d(F.conv2d(x, net.W1, net.B1, padding: [1, 1]).relu(), net.W2, net.B2, strides: [2, 2], padding: [1, 1]).relu();
        Tensor weights = net.Wg.index_select(0, tensor(targets.Select(t => (long)t).ToArray())) / 9;
        return (weights.reshape(-1, 4, 1, 1) * r2).sum(1).relu();
    }

    /// <summary>
    /// Bilinear upsampling from 3 to 6 with half-pixel centres: output i samples i/2 - 1/4, clamped to the edges.
    /// </summary>
    private static readonly float[] Upsample =
    [
        1, 0, 0,
        0.75f, 0.25f, 0,
        0.25f, 0.75f, 0,
        0, 0.75f, 0.25f,
        0, 0.25f, 0.75f,
        0, 0, 1,
    ];

    private static Tensor Attributions(string model, string method, Tensor x, int[] targets, AttributionOptions? options = null)
    {
        using OnnxGraph graph = OnnxGraph.Load(model);
        using var explainer = new Explainer(graph, ["r2"], options);
        using Explanation explanation = explainer.Explain(MethodRegistry.Default.Get(method), x, targets);
        Assert.Equal(targets, explanation.Targets);
        return explanation.Attributions!.clone();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_method_equals_the_hand_computed_backward_pass(int seed)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var net = Net.Seeded(seed);
        string model = net.Save(dir);
        Tensor x = randn(2, 2, 6, 6);
        int[] targets = [0, 2];

        Tensor plain = HandGradient(net, x, targets, Plain);
        Tensor guided = HandGradient(net, x, targets, Guided);
        Tensor deconv = HandGradient(net, x, targets, Deconv);
        Tensor cam = matmul(matmul(tensor(Upsample).reshape(6, 3), HandGradCam(net, x, targets)), tensor(Upsample).reshape(6, 3).t());
        Tensor guidedGradCam = guided * cam.unsqueeze(1);

        // The network exercises every rule: they all give different answers, and Grad-CAM is neither empty nor flat.
        Assert.False(plain.allclose(guided, rtol: 1e-3, atol: 1e-5), "guided equals plain");
        Assert.False(guided.allclose(deconv, rtol: 1e-3, atol: 1e-5), "guided equals deconvnet");
        Assert.True(cam.amax([1, 2]).gt(cam.amin([1, 2])).all().item<bool>(), "flat Grad-CAM");

        Assert.True(Attributions(model, "gradient", x, targets).allclose(plain, rtol: 1e-4, atol: 1e-6), "gradient");
        Assert.True(Attributions(model, "guided-backprop", x, targets).allclose(guided, rtol: 1e-4, atol: 1e-6), "guided-backprop");
        Assert.True(Attributions(model, "deconvnet", x, targets).allclose(deconv, rtol: 1e-4, atol: 1e-6), "deconvnet");
        Assert.True(Attributions(model, "guided-gradcam", x, targets).allclose(guidedGradCam, rtol: 1e-4, atol: 1e-6), "guided-gradcam");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Guided_backprop_passes_no_negative_gradient_through_any_relu(int seed)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(Net.Seeded(seed).Save(dir));
        Tensor x = randn(2, 2, 6, 6);
        var passed = new List<(Tensor Input, Tensor Standard, Tensor Passed)>();
        ReluBackwardHook spy = (input, gradOutput, standard) =>
        {
            Tensor result = ReluBackward.Guided(input, gradOutput, standard);
            passed.Add((input.detach().clone(), standard.detach().clone(), result.detach().clone()));
            return result;
        };

        using GraphRun run = graph.Run(x, new RunOptions { InputGradient = true, ReluBackward = spy });
        Gradients.Of(run.Scores.select(1, 1).sum(), run.Inputs[0]);

        Assert.Equal(2, passed.Count);
        foreach (var (input, standard, result) in passed)
        {
            // Non-vacuous: the ordinary gradient sends something negative back through this ReLU.
            Assert.True(standard.lt(0).any().item<bool>(), "no negative gradient arrived at an active unit");
            Assert.True(result.ge(0).all().item<bool>(), "a negative gradient passed");
            Assert.True(result.masked_select(input.le(0)).eq(0).all().item<bool>(), "a gradient passed an inactive unit");
            Assert.True(result.allclose(standard.clamp_min(0)), "a positive gradient of an active unit was changed");
        }
    }

    [Theory]
    [InlineData("guided", 7)]
    [InlineData("deconvnet", 8)]
    public void The_shipped_rules_shortcuts_give_what_the_general_hook_path_gives(string rule, int seed)
    {
        // The shipped rules skip the general path's arithmetic; a wrapper lambda is not recognised and takes it.
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(Net.Seeded(seed).Save(dir));
        Tensor x = randn(2, 2, 6, 6);
        ReluBackwardHook shipped = rule == "guided" ? ReluBackward.Guided : ReluBackward.Deconvnet;
        ReluBackwardHook general = (input, gradOutput, standard) => shipped(input, gradOutput, standard);

        Tensor InputGradient(ReluBackwardHook hook)
        {
            using GraphRun run = graph.Run(x, new RunOptions { InputGradient = true, ReluBackward = hook });
            return Gradients.Of(run.Scores.select(1, 2).sum(), run.Inputs[0]);
        }

        Tensor fast = InputGradient(shipped), slow = InputGradient(general);
        Assert.True(slow.abs().max().item<float>() > 0, "the gradient is not zero");
        Assert.True(fast.allclose(slow, rtol: 1e-6, atol: 1e-7), $"{rule}: the shortcut differs from the general path");
    }

    [Fact]
    public void Guided_gradcam_ignores_the_cam_smoothing_options_it_does_not_take()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        string model = Net.Seeded(6).Save(dir);
        Tensor x = randn(1, 2, 6, 6);
        var smoothing = new AttributionOptions { AugSmooth = true, EigenSmooth = true };

        Tensor plain = Attributions(model, "guided-gradcam", x, [1]);
        Assert.True(Attributions(model, "guided-gradcam", x, [1], smoothing).allclose(plain, rtol: 1e-5, atol: 1e-7));
        // The options do change Grad-CAM itself on this network, so the comparison above could fail.
        using OnnxGraph graph = OnnxGraph.Load(model);
        using var smoothed = new Explainer(graph, ["r2"], smoothing);
        using var unsmoothed = new Explainer(graph, ["r2"]);
        using Explanation a = smoothed.Explain(MethodRegistry.Default.Get("gradcam"), x, [1]);
        using Explanation b = unsmoothed.Explain(MethodRegistry.Default.Get("gradcam"), x, [1]);
        Assert.False(a.Heatmaps.allclose(b.Heatmaps, rtol: 1e-3, atol: 1e-4));
    }
}
