using System.Security.Cryptography;
using Gaze.Attribution;
using Gaze.Evaluation.Sanity;
using Gaze.Explaining;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Sanity;

/// <summary>
/// The weighted layers of the shipped shapes CNN and SqueezeNet, seeded re-initialisation on an in-memory copy, and
/// every engine path of the explainer seeing the randomised weights.
/// </summary>
public sealed class ParameterRandomisationTests
{
    private static string Shapes => RepositoryFiles.Require("assets/shapes-cnn.onnx");

    [Fact]
    public void Weighted_layers_run_from_the_output_backwards_with_their_biases_and_fan_in()
    {
        using var graph = OnnxGraph.Load(Shapes);
        IReadOnlyList<WeightedLayer> layers = WeightedLayers.Of(graph);
        Assert.Equal(["logits", "features.conv", "block3.conv", "block2.conv", "block1.conv"], layers.Select(l => l.Name));
        Assert.Equal(["Gemm", "Conv", "Conv", "Conv", "Conv"], layers.Select(l => l.Operator));
        Assert.All(layers, l => Assert.NotNull(l.Bias));
        // block1.conv sees 3 channels through a 3x3 kernel (27 inputs); the classifier the 64 pooled channels.
        Assert.Equal(27, layers[^1].FanIn);
        Assert.Equal(64, layers[0].FanIn);
    }

    [Fact]
    public void Randomisation_is_seeded_kaiming_uniform_with_zero_biases_and_leaves_the_file_and_the_original_alone()
    {
        byte[] before = SHA256.HashData(File.ReadAllBytes(Shapes));
        using var graph = OnnxGraph.Load(Shapes);
        IReadOnlyList<WeightedLayer> layers = WeightedLayers.Of(graph);
        using var scope = NewDisposeScope();
        Tensor trained = graph.Initializer(layers[1].Weight).clone();

        using OnnxGraph first = ParameterRandomisation.Cascading(graph, layers, 2, seed: 5);
        using OnnxGraph again = ParameterRandomisation.Cascading(graph, layers, 2, seed: 5);
        using OnnxGraph other = ParameterRandomisation.Cascading(graph, layers, 2, seed: 6);
        using OnnxGraph alone = ParameterRandomisation.Independent(graph, layers[1], seed: 5);

        foreach (WeightedLayer layer in layers.Take(2))
        {
            Tensor weight = first.Initializer(layer.Weight);
            Assert.True(Same(weight, again.Initializer(layer.Weight)));
            Assert.False(Same(weight, other.Initializer(layer.Weight)));
            Assert.False(Same(weight, graph.Initializer(layer.Weight)));
            Assert.Equal(0, first.Initializer(layer.Bias!).abs().max().item<float>());
            Assert.True(weight.abs().max().item<float>() <= ParameterRandomisation.Bound(layer));
            Assert.True(weight.abs().max().item<float>() > 0.9 * ParameterRandomisation.Bound(layer));
        }
        // A layer gets the same weights in the cascade and alone; layers below the cascade keep their training.
        Assert.True(Same(alone.Initializer(layers[1].Weight), first.Initializer(layers[1].Weight)));
        Assert.True(Same(alone.Initializer(layers[0].Weight), graph.Initializer(layers[0].Weight)));
        foreach (WeightedLayer layer in layers.Skip(2))
            Assert.True(Same(first.Initializer(layer.Weight), graph.Initializer(layer.Weight)));
        Assert.True(Same(graph.Initializer(layers[1].Weight), trained));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Shapes)));
    }

    [Fact]
    public void Every_onnx_runtime_path_of_the_explainer_sees_the_randomised_weights()
    {
        using var graph = OnnxGraph.Load(Shapes);
        using OnnxGraph randomised = ParameterRandomisation.Cascading(graph, WeightedLayers.Of(graph), 2, seed: 1);
        using var scope = NewDisposeScope();
        Tensor input = rand([2, 3, 64, 64], generator: new Generator(3)) * 4 - 2;
        using Tensor original = graph.Scores(input);
        using Tensor gaze = randomised.Scores(input);
        Assert.True((original - gaze).abs().max().item<float>() > 0.1f);

        // The scorers of Score-CAM, occlusion and RISE (whole input) and of Ablation-CAM (from the layer on).
        using (var whole = RuntimeScorer.ForInput(randomised))
            Assert.True((whole.Scores(input) - gaze).abs().max().item<float>() < 1e-3f);
        using (GraphRun run = randomised.Run(input, new RunOptions { KeepAll = true }))
        using (var fromLayer = RuntimeScorer.FromTensor(randomised, "features"))
            Assert.True((fromLayer.Scores(run["features"]) - gaze).abs().max().item<float>() < 1e-3f);

        // Whole methods: ONNX Runtime on and off agree on the randomised model (scores and maps), and the gradient
        // CAMs really took their activations from an ONNX Runtime prefix.
        var onnxRuntime = new AttributionOptions();
        var gazeOnly = new AttributionOptions { ScoreWithOnnxRuntime = false, GradientsFromOnnxRuntimePrefix = false };
        using var withRuntime = new Explainer(randomised, ["features"], onnxRuntime);
        using var withoutRuntime = new Explainer(randomised, ["features"], gazeOnly);
        int[] targets = [1, 4];
        foreach (string name in new[] { "gradcam", "scorecam", "ablationcam" })
        {
            AttributionMethod method = MethodRegistry.Default.Get(name);
            using Explanation a = withRuntime.Explain(method, input, targets);
            using Explanation b = withoutRuntime.Explain(method, input, targets);
            Assert.True((a.Scores - gaze).abs().max().item<float>() < 1e-3f, name);
            Assert.True((a.Heatmaps - b.Heatmaps).abs().max().item<float>() < 1e-3f, name);
            if (name == "gradcam") Assert.Contains(a.Notes, note => note.Contains("ONNX Runtime"));
        }
    }

    private static bool Same(Tensor a, Tensor b) => a.equal(b).all().item<bool>();

    [Fact]
    public void A_float16_model_keeps_float16_weights_that_onnx_runtime_and_gaze_both_use()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        IReadOnlyList<WeightedLayer> layers = WeightedLayers.Of(graph);
        Assert.Equal(26, layers.Count);
        Assert.Equal("conv10_1", layers[0].Name);
        using OnnxGraph randomised = ParameterRandomisation.Cascading(graph, layers, 1, seed: 0);
        Assert.True(randomised.IsFloat16);
        Assert.Equal(OnnxDataType.Float16, randomised.Model.Graph.Initializer.First(t => t.Name == layers[0].Weight).DataType);

        using var scope = NewDisposeScope();
        Tensor input = (rand([1, 3, 224, 224], generator: new Generator(2)) * 255 - 117).to(ScalarType.Float16).to(ScalarType.Float32);
        using var scorer = RuntimeScorer.ForInput(randomised);
        Tensor gaze = randomised.Scores(input);
        Assert.True((graph.Scores(input) - gaze).abs().max().item<float>() > 0.01f);
        Assert.True(((scorer.Scores(input) - gaze).abs().max() / gaze.abs().max()).item<float>() < 2e-3f);
    }
}
