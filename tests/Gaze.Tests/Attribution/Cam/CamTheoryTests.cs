using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Cam;

/// <summary>Where the theory is exact, the methods must agree with it on small hand-built networks.</summary>
public sealed class CamTheoryTests
{
    /// <summary>
    /// x[1,3,6,6] → Conv 3x3 (pads 1) → Relu = "act" [1,4,6,6] → GlobalAveragePool → Flatten → Gemm (transB) →
    /// scores [1,3]: the network CAM was defined for.
    /// </summary>
    private static string GapLinearNetwork(TempDirectory dir, string head = "gemm")
    {
        var random = new Random(5);
        float[] Values(long count) => Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var builder = new TestModelBuilder()
            .Input("x", 1, 3, 6, 6)
            .Initializer("w1", Values(4 * 3 * 9), 4, 3, 3, 3).Initializer("b1", Values(4), 4)
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c1"], ["act"])
            .Node("GlobalAveragePool", ["act"], ["pooled"]).Node("Flatten", ["pooled"], ["features"]);
        if (head == "gemm")
        {
            builder.Initializer("w2", Values(3 * 4), 3, 4).Initializer("b2", Values(3), 3)
                .Node("Gemm", ["features", "w2", "b2"], ["scores"], ("transB", 1L));
        }
        else
        {
            builder.Initializer("w2", Values(4 * 3), 4, 3).Initializer("b2", Values(3), 3)
                .Node("MatMul", ["features", "w2"], ["product"]).Node("Add", ["product", "b2"], ["scores"]);
        }
        return builder.Output("scores").Save(dir.File($"gap-{head}.onnx"));
    }

    private static Tensor Input()
    {
        manual_seed(7);
        return randn(1, 3, 6, 6);
    }

    [Theory]
    [InlineData("gemm")]
    [InlineData("matmul")]
    public void On_a_gap_linear_network_cam_GradCam_and_HiResCam_draw_the_same_map(string head)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(GapLinearNetwork(dir, head));
        using var explainer = new CamExplainer(graph, ["act"]);
        int drawn = 0;
        for (int target = 0; target < 3; target++)
        {
            Tensor cam = explainer.RawMaps(Input(), [target], new OriginalCam())[0];
            Tensor gradCam = explainer.RawMaps(Input(), [target], new GradCam())[0];
            Tensor hiRes = explainer.RawMaps(Input(), [target], new HiResCam())[0];
            // dScore/dA_k = W[c,k] / (H W) everywhere, so Grad-CAM and HiResCAM are CAM divided by H W = 36.
            if (cam.max().item<float>() > 0) drawn++;
            Assert.True((gradCam * 36).allclose(cam, rtol: 1e-4, atol: 1e-6), $"class {target}: Grad-CAM");
            Assert.True((hiRes * 36).allclose(cam, rtol: 1e-4, atol: 1e-6), $"class {target}: HiResCAM");
            Tensor heatCam = explainer.Heatmaps(Input(), [target], new OriginalCam());
            Tensor heatGrad = explainer.Heatmaps(Input(), [target], new GradCam());
            Assert.True(heatCam.allclose(heatGrad, rtol: 1e-4, atol: 1e-5));
        }
        Assert.True(drawn >= 2, "most classes should have a non-empty map");
    }

    [Fact]
    public void GradCam_weights_of_a_hand_built_network_match_hand_computation()
    {
        // x [1,1,2,2] = (1,-2,3,-4) → 1x1 Conv with weights (1,-2) → Relu = "a": a0 = (1,0,3,0), a1 = (0,4,0,8).
        // scores = W · mean(a) with W = [[0.5,2],[-1,3]], so dScore_c/da_k = W[c,k]/4 and Grad-CAM's weights for
        // class 1 are (-0.25, 0.75); the map is ReLU(-0.25 a0 + 0.75 a1) = (0, 3, 0, 6).
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        string path = new TestModelBuilder()
            .Input("x", 1, 1, 2, 2)
            .Initializer("w1", new float[] { 1, -2 }, 2, 1, 1, 1)
            .Initializer("w2", new float[] { 0.5f, 2, -1, 3 }, 2, 2)
            .Node("Conv", ["x", "w1"], ["c"]).Node("Relu", ["c"], ["a"])
            .Node("GlobalAveragePool", ["a"], ["p"]).Node("Flatten", ["p"], ["f"])
            .Node("Gemm", ["f", "w2"], ["scores"], ("transB", 1L))
            .Output("scores").Save(dir.File("hand.onnx"));
        using OnnxGraph graph = OnnxGraph.Load(path);
        Tensor x = tensor(new float[] { 1, -2, 3, -4 }).reshape(1, 1, 2, 2);

        using GraphRun run = graph.Run(x, new RunOptions { Capture = ["a"], Gradients = true });
        Tensor gradients = Gradients.Of(run.Scores[0, 1], [run.Captured["a"]])[0];
        var signals = new LayerSignals(run.Captured["a"].detach(), gradients);
        Assert.Equal(new[] { -0.25f, 0.75f }, new GradCam().ChannelWeights(signals).data<float>().ToArray());

        using var explainer = new CamExplainer(graph, ["a"]);
        Assert.Equal(new[] { 0f, 3f, 0f, 6f }, explainer.RawMaps(x, [1], new GradCam())[0].flatten().data<float>().ToArray());
        // CAM's weights are W's row: 0.5 a0 + 2 a1 = (0.5, 8, 1.5, 16).
        Assert.Equal(new[] { 0.5f, 8f, 1.5f, 16f }, explainer.RawMaps(x, [0], new OriginalCam())[0].flatten().data<float>().ToArray());
    }

    [Fact]
    public void AblationCam_equals_full_reruns_with_each_channel_zeroed()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(GapLinearNetwork(dir));
        Tensor x = Input();
        const int target = 2;
        Tensor activations;
        float original;
        using (GraphRun run = graph.Run(x, new RunOptions { Capture = ["act"] }))
        {
            activations = run.Captured["act"].clone();
            original = run.Scores[0, target].item<float>();
        }
        Assert.Equal(0f, activations.min().item<float>());   // a ReLU layer: ablation sets channels to 0
        var expected = zeros(6, 6);
        for (int k = 0; k < 4; k++)
        {
            Tensor ablated = activations.clone();
            ablated[0, k].fill_(0);
            using GraphRun full = graph.Run(x, new RunOptions { Replace = new Dictionary<string, Tensor> { ["act"] = ablated } });
            float weight = (original - full.Scores[0, target].item<float>()) / original;
            expected += weight * activations[0, k];
        }
        expected = nn.functional.relu(expected);

        foreach (bool onnxRuntime in new[] { false, true })
        {
            using var explainer = new CamExplainer(graph, ["act"], new AttributionOptions { BatchSize = 3, ScoreWithOnnxRuntime = onnxRuntime });
            Tensor raw = explainer.RawMaps(x, [target], new AblationCam())[0][0];
            Assert.True(raw.allclose(expected, rtol: 1e-4, atol: 1e-5), $"onnxRuntime={onnxRuntime}");
        }
    }

    [Fact]
    public void Cam_refuses_a_layer_without_a_gap_linear_head()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(GapLinearNetwork(dir));
        using var explainer = new CamExplainer(graph, ["c1"]);
        var error = Assert.Throws<UnsuitableLayerException>(() => explainer.RawMaps(Input(), [0], new OriginalCam()));
        Assert.Contains("'c1'", error.Message);
        Assert.Contains("global average pooling", error.Message);
    }

    [Fact]
    public void Layers_without_spatial_dimensions_are_refused()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(GapLinearNetwork(dir));
        using var explainer = new CamExplainer(graph, ["features"]);
        var error = Assert.Throws<UnsuitableLayerException>(() => explainer.RawMaps(Input(), [0], new GradCam()));
        Assert.Contains("no spatial dimensions", error.Message);
    }
}
