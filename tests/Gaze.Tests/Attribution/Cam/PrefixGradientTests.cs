using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Cam;

/// <summary>
/// Gradient CAMs with the network before the layer on ONNX Runtime and only the part after it on Gaze's graph give
/// the activations, gradients and maps of the whole-graph pass; skip connections crossing the cut are fed too, and
/// models that cannot be cut fall back to the whole graph and say why.
/// </summary>
public sealed class PrefixGradientTests
{
    private const string SqueezeNet = "models/squeezenet1.1-caffe2-fp16.onnx";
    private const string ResNet = "models/resnet18-random.onnx";
    private const string ResNetLastLayer = "/layer4/layer4.1/relu_1/Relu_output_0";
    private const string ResNetInsideBlock = "/layer4/layer4.1/relu/Relu_output_0";
    private const string ResNetBlockInput = "/layer4/layer4.0/relu_1/Relu_output_0";
    private const double Tolerance = 1e-4;

    private static readonly AttributionOptions WholeGraph = new() { GradientsFromOnnxRuntimePrefix = false };

    private static readonly string[] GradientMethods = ["gradcam", "gradcam++", "xgradcam", "hirescam", "gradcam-elementwise", "layercam", "eigengradcam"];

    [Fact]
    public void Float16_SqueezeNet_prefix_gives_the_whole_graphs_activations_gradients_and_maps()
    {
        string model = SharedData.Require(SqueezeNet);
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        Tensor input = CatAndDog(model);

        var (prefixPass, prefixNote) = Pass(graph, ["fire8/concat_1"], AttributionOptions.Default, input);
        var (wholePass, wholeNote) = Pass(graph, ["fire8/concat_1"], WholeGraph, input);

        Assert.True(prefixNote.StartsWith("activations of fire8/concat_1 from ONNX Runtime", StringComparison.Ordinal), prefixNote);
        Assert.Contains("GradientsFromOnnxRuntimePrefix is off", wholeNote);
        AssertSame(prefixPass, wholePass);
        AssertSameMaps(graph, ["fire8/concat_1"], input, [243]);
    }

    [Fact]
    public void SqueezeNet_classifier_convolution_gives_the_whole_graphs_gradients_through_the_target_channel_only()
    {
        string model = SharedData.Require(SqueezeNet);
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        using ConvolutionalHead head = ConvolutionalHead.Find(graph) ?? throw new Xunit.Sdk.XunitException("SqueezeNet's conv10 head was not found");
        Assert.Contains("fire9/concat_1", head.Inputs);
        Tensor input = cat([CatAndDog(model), randn([1, 3, 224, 224], generator: new Generator(3)) * 40]);

        var (headPass, headNote) = Pass(graph, ["fire9/concat_1"], AttributionOptions.Default, input);
        var (wholePass, _) = Pass(graph, ["fire9/concat_1"], WholeGraph, input);

        Assert.StartsWith("activations of fire9/concat_1 and the scores from ONNX Runtime", headNote);
        AssertSame(headPass, wholePass);
        AssertSameMaps(graph, ["fire9/concat_1"], CatAndDog(model), [243]);
        // A head needs one target layer: with two, the usual cut runs.
        var (_, twoLayers) = Pass(graph, ["fire8/concat_1", "fire9/concat_1"], AttributionOptions.Default, input);
        Assert.DoesNotContain("scores from ONNX Runtime", twoLayers);
    }

    [Fact]
    public void A_classifier_of_pooling_and_a_dense_layer_is_no_convolutional_head()
    {
        using OnnxGraph graph = OnnxGraph.Load(SharedData.Require(ResNet));
        Assert.Null(ConvolutionalHead.Find(graph));
    }

    [Fact]
    public void ResNet_prefix_after_a_residual_addition_runs_only_the_head_on_gaze()
    {
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(SharedData.Require(ResNet));
        Tensor input = randn([2, 3, 224, 224], generator: new Generator(11));

        var (prefixPass, prefixNote) = Pass(graph, [ResNetLastLayer], AttributionOptions.Default, input);
        var (wholePass, _) = Pass(graph, [ResNetLastLayer], WholeGraph, input);

        // After the last block come only GlobalAveragePool, Flatten and Gemm; nothing crosses the cut.
        Assert.EndsWith("gradients from Gaze's graph after it (3 nodes)", prefixNote);
        AssertSame(prefixPass, wholePass);
        AssertSameMaps(graph, [ResNetLastLayer], input, [1, 2]);
    }

    [Fact]
    public void A_residual_connection_crossing_the_cut_is_detected_and_fed_from_onnx_runtime()
    {
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(SharedData.Require(ResNet));
        Tensor input = randn([1, 3, 224, 224], generator: new Generator(12));

        GraphCut cut = GraphCut.Before(graph, [ResNetInsideBlock]);
        var (prefixPass, prefixNote) = Pass(graph, [ResNetInsideBlock], AttributionOptions.Default, input);
        var (wholePass, _) = Pass(graph, [ResNetInsideBlock], WholeGraph, input);

        Assert.Null(cut.Problem);
        Assert.Equal([ResNetInsideBlock], cut.Cut);
        // The block's residual Add reads the block input, which comes from before the cut.
        Assert.Equal([ResNetBlockInput], cut.Crossing);
        Assert.Contains(ResNetBlockInput, prefixNote);
        // conv2, Add, Relu, GlobalAveragePool, Flatten, Gemm.
        Assert.Contains("after it (6 nodes)", prefixNote);
        AssertSame(prefixPass, wholePass);
        AssertSameMaps(graph, [ResNetInsideBlock], input, [5]);
    }

    [Fact]
    public void Float_and_integer_tensors_crossing_the_cut_are_fed_and_the_gradients_stay_exact()
    {
        using var dir = new TempDirectory();
        // layer = Sigmoid(a) with a = Relu(x); after the layer: Reshape(layer * a, Shape(a)) then pooling, so the
        // suffix reads a float tensor (a) and an int64 tensor (Shape(a)) from before the cut.
        var builder = new TestModelBuilder()
            .Input("x", null, 2, 3, 3)
            .Node("Relu", ["x"], ["a"]).Node("Sigmoid", ["a"], ["layer"]).Node("Mul", ["layer", "a"], ["c"])
            .Node("Shape", ["a"], ["s"]).Node("Reshape", ["c", "s"], ["r"])
            .Node("GlobalAveragePool", ["r"], ["p"]).Node("Flatten", ["p"], ["y"]).Output("y");
        using OnnxGraph graph = OnnxGraph.Load(builder.Save(dir.File("crossing.onnx")));
        using var scope = NewDisposeScope();
        Tensor input = randn([2, 2, 3, 3], generator: new Generator(13));

        GraphCut cut = GraphCut.Before(graph, ["layer"]);
        var (prefixPass, prefixNote) = Pass(graph, ["layer"], AttributionOptions.Default, input);
        var (wholePass, _) = Pass(graph, ["layer"], WholeGraph, input);

        Assert.Equal(["a", "s"], cut.Crossing.Order());
        Assert.Contains("from ONNX Runtime", prefixNote);
        AssertSame(prefixPass, wholePass);
        // d y[t] / d layer = a / 9 in channel t (each image's top class), zero in the other channel.
        Tensor channel = TorchSharp.torch.nn.functional.one_hot(prefixPass.Scores.argmax(1), 2).to(ScalarType.Float32).reshape(2, 2, 1, 1);
        Assert.True(OrtOracle.RelativeDifference(prefixPass.Gradients[0], input.relu() / 9 * channel) < 1e-6);
    }

    [Fact]
    public void Of_two_nested_layers_only_the_earlier_is_cut_and_the_later_is_differentiated_after_it()
    {
        string model = SharedData.Require(SqueezeNet);
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        Tensor input = CatAndDog(model);
        string[] layers = ["fire8/concat_1", "fire9/concat_1"];

        var (prefixPass, prefixNote) = Pass(graph, layers, AttributionOptions.Default, input);
        var (wholePass, _) = Pass(graph, layers, WholeGraph, input);

        Assert.Equal(["fire8/concat_1"], GraphCut.Before(graph, layers).Cut);
        Assert.True(prefixNote.StartsWith("activations of fire8/concat_1 from ONNX Runtime", StringComparison.Ordinal), prefixNote);
        // fire8's gradient flows through fire9, as in the whole graph.
        AssertSame(prefixPass, wholePass);
        AssertSameMaps(graph, layers, input, [243]);
    }

    [Fact]
    public void A_model_with_a_non_float_input_falls_back_to_the_whole_graph_and_says_why()
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder()
            .TypedInput("pixels", 2, null, 1, 4, 4)
            .Node("Cast", ["pixels"], ["x"], ("to", 1L)).Node("Relu", ["x"], ["layer"])
            .Node("GlobalAveragePool", ["layer"], ["p"]).Node("Flatten", ["p"], ["y"]).Output("y");
        using OnnxGraph graph = OnnxGraph.Load(builder.Save(dir.File("bytes.onnx")));
        using var scope = NewDisposeScope();
        using var explainer = new CamExplainer(graph, ["layer"]);

        using Explanation explanation = explainer.Explain(full([1, 1, 4, 4], 3).to(ScalarType.Byte), [0], new GradCam());

        Assert.Contains("holds uint8 values", GraphCut.Before(graph, ["layer"]).Problem);
        Assert.Null(explainer.GradientCut);
        Assert.Equal(["gradcam: activations and gradients from Gaze's whole graph (its input 'pixels' holds uint8 values)"], explanation.Notes);
    }

    [Fact]
    public void A_model_that_declares_a_batch_of_one_runs_other_batches_through_the_prefix_once_checked()
    {
        using OnnxGraph graph = OnnxGraph.Load(SharedData.Require("models/mnist-cntk.onnx"));
        using var scope = NewDisposeScope();
        Tensor two = rand([2, 1, 28, 28], generator: new Generator(14)) * 255;

        var (prefixPass, prefixNote) = Pass(graph, ["ReLU114_Output_0"], AttributionOptions.Default, two);
        var (wholePass, _) = Pass(graph, ["ReLU114_Output_0"], WholeGraph, two);

        Assert.Equal([1L, 1, 28, 28], graph.Inputs[0].Shape!.Select(d => d!.Value));
        Assert.True(prefixNote.Contains("from ONNX Runtime", StringComparison.Ordinal), prefixNote);
        AssertSame(prefixPass, wholePass);
    }

    [Fact]
    public void A_batch_size_hard_coded_before_the_layer_falls_back_to_the_whole_graph_for_other_batches()
    {
        using var dir = new TempDirectory();
        // An old export: the declared batch of 1 is also written into Reshape shapes before the layer, which Gaze's
        // graph relaxes for other batches and ONNX Runtime does not.
        var builder = new TestModelBuilder()
            .Input("x", 1, 2, 3, 3)
            .Initializer("flat", [1L, 18], 2).Initializer("square", [1L, 2, 3, 3], 4)
            .Node("Reshape", ["x", "flat"], ["f"]).Node("Reshape", ["f", "square"], ["s"]).Node("Relu", ["s"], ["layer"])
            .Node("GlobalAveragePool", ["layer"], ["p"]).Node("Flatten", ["p"], ["y"]).Output("y");
        using OnnxGraph graph = OnnxGraph.Load(builder.Save(dir.File("batch-of-one.onnx")));
        using var scope = NewDisposeScope();
        using var explainer = new CamExplainer(graph, ["layer"]);
        Tensor two = randn([2, 2, 3, 3], generator: new Generator(15));

        using Explanation single = explainer.Explain(two.narrow(0, 0, 1), [1], new GradCam());
        using Explanation batch = explainer.Explain(two, [1, 1], new GradCam());
        using Explanation singleAgain = explainer.Explain(two.narrow(0, 1, 1), [1], new GradCam());

        Assert.Contains("from ONNX Runtime", single.Notes[0]);
        Assert.Contains("whole graph (the model declares a batch of 1", batch.Notes[0]);
        Assert.Contains("from ONNX Runtime", singleAgain.Notes[0]);
        Assert.True(OrtOracle.RelativeDifference(batch.RawMaps[0].narrow(0, 0, 1), single.RawMaps[0]) < Tolerance);
        Assert.True(OrtOracle.RelativeDifference(batch.RawMaps[0].narrow(0, 1, 1), singleAgain.RawMaps[0]) < Tolerance);
    }

    [Fact]
    public void A_layer_that_is_the_input_cannot_be_cut()
    {
        using OnnxGraph graph = OnnxGraph.Load(SharedData.Require(ResNet));

        GraphCut cut = GraphCut.Before(graph, [graph.Inputs[0].Name]);

        Assert.Contains("is the model's input", cut.Problem);
        Assert.Empty(cut.Cut);
    }

    [Fact]
    public void Explain_reports_the_path_through_the_explanation_notes()
    {
        string model = SharedData.Require(SqueezeNet);
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        using var explainer = new Explainer(graph, ["fire9/concat_1"]);
        Tensor input = CatAndDog(model);

        using Explanation gradient = explainer.Explain(MethodRegistry.Default.Get("gradcam"), input, [243]);
        using Explanation eigen = explainer.Explain(MethodRegistry.Default.Get("eigencam"), input, [243]);

        Assert.Single(gradient.Notes);
        Assert.StartsWith("gradcam: activations of fire9/concat_1 and the scores from ONNX Runtime", gradient.Notes[0]);
        // Methods without gradients make no such choice.
        Assert.Empty(eigen.Notes);
    }

    private static Tensor CatAndDog(string model) =>
        new ImagePreprocessor(ModelMetadataReader.ReadFor(model).Input!).Preprocess(ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png")));

    /// <summary>One gradient pass: the activations and the gradients of each image's top score, detached, and the pass's note.</summary>
    private static ((Tensor[] Activations, Tensor[] Gradients, Tensor Scores) Pass, string Note) Pass(
        OnnxGraph graph, string[] layers, AttributionOptions options, Tensor input)
    {
        using var runs = new LayerRuns(graph, layers, options);
        using LayerRun run = runs.Run(input, gradients: true);
        int[] top = run.Scores.argmax(1).data<long>().Select(t => (int)t).ToArray();
        Tensor[] gradients = Gradients.Of(run.TargetScores(top).sum(), run.Activations);
        Tensor[] activations = run.Activations.Select(a => a.detach().clone()).ToArray();
        return ((activations, gradients.Select(g => g.detach()).ToArray(), run.Scores.detach().clone()), run.Note!);
    }

    private static void AssertSame((Tensor[] Activations, Tensor[] Gradients, Tensor Scores) prefix, (Tensor[] Activations, Tensor[] Gradients, Tensor Scores) whole)
    {
        Assert.True(OrtOracle.RelativeDifference(prefix.Scores, whole.Scores) < Tolerance);
        for (int i = 0; i < whole.Activations.Length; i++)
        {
            Assert.Equal(ScalarType.Float32, prefix.Activations[i].dtype);
            double activations = OrtOracle.RelativeDifference(prefix.Activations[i], whole.Activations[i]);
            double gradients = OrtOracle.RelativeDifference(prefix.Gradients[i], whole.Gradients[i]);
            Assert.True(activations < Tolerance, $"layer {i}: activations differ by {activations:E2}");
            Assert.True(gradients < Tolerance, $"layer {i}: gradients differ by {gradients:E2}");
            Assert.True(whole.Gradients[i].abs().max().item<float>() > 0, $"layer {i}: the gradients are zero");
        }
    }

    private static void AssertSameMaps(OnnxGraph graph, string[] layers, Tensor input, int[] targets)
    {
        using var prefix = new CamExplainer(graph, layers);
        using var whole = new CamExplainer(graph, layers, WholeGraph);
        foreach (string name in GradientMethods)
        {
            CamMethod method = ((CamAttribution)MethodRegistry.Default.Get(name)).Cam;
            IReadOnlyList<Tensor> fast = prefix.RawMaps(input, targets, method);
            IReadOnlyList<Tensor> slow = whole.RawMaps(input, targets, method);
            Assert.Contains("from ONNX Runtime", prefix.LastGradientPath);
            Assert.Contains("whole graph", whole.LastGradientPath);
            for (int i = 0; i < slow.Count; i++)
            {
                double difference = OrtOracle.RelativeDifference(fast[i], slow[i]);
                Assert.True(difference < Tolerance, $"{name}, layer {i}: maps differ by {difference:E2}");
            }
        }
    }
}
