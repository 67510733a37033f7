using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>
/// ONNX Runtime scores of whole inputs and of intermediate activations equal Gaze's own scores; cuts that a skip
/// connection goes around are refused.
/// </summary>
public sealed class RuntimeScorerTests
{
    private const string SqueezeNet = "models/squeezenet1.1-caffe2-fp16.onnx";
    private const string ResNet = "models/resnet18-random.onnx";
    private const string ResNetLastLayer = "/layer4/layer4.1/relu_1/Relu_output_0";

    [Fact]
    public void Input_scores_of_float16_SqueezeNet_equal_gaze_scores()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(SqueezeNet));
        using var scorer = RuntimeScorer.ForInput(graph);
        using var scope = NewDisposeScope();
        // BGR pixels minus the mean, rounded to float16 so both engines see the same numbers.
        var x = (rand([3, 3, 224, 224], generator: new Generator(1)) * 255 - 117).to(ScalarType.Float16).to(ScalarType.Float32);

        var scores = scorer.Scores(x);
        using var run = graph.Run(x);

        Assert.Equal("pool10_1", scorer.ScoreName);
        Assert.Equal(ScalarType.Float32, scores.dtype);
        Assert.Equal([3L, 1000], scores.shape);
        Assert.True(OrtOracle.RelativeDifference(scores, run.Scores) < 2e-3);
        // The fixed batch of 1 was relaxed: the batch of three ran at once.
        Assert.False(scorer.RunsSampleBySample);
    }

    [Fact]
    public void Input_scores_of_ResNet_equal_gaze_scores()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(ResNet));
        using var scorer = RuntimeScorer.ForInput(graph);
        using var scope = NewDisposeScope();
        var x = randn([3, 3, 224, 224], generator: new Generator(2));

        var scores = scorer.Scores(x);
        using var run = graph.Run(x);

        Assert.Equal([3L, 1000], scores.shape);
        Assert.True(OrtOracle.RelativeDifference(scores, run.Scores) < 1e-4);
    }

    [Fact]
    public void Relaxed_batch_of_SqueezeNet_gives_exactly_the_single_sample_scores()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(SqueezeNet));
        using var scorer = RuntimeScorer.ForInput(graph);
        using var scope = NewDisposeScope();
        var x = rand([4, 3, 224, 224], generator: new Generator(3)) * 255 - 117;

        var batched = scorer.Scores(x);
        var single = cat(Enumerable.Range(0, 4).Select(i => scorer.Scores(x.narrow(0, i, 1))).ToList(), 0);

        Assert.True(batched.Equals(single));
    }

    [Fact]
    public void Activation_scores_of_SqueezeNet_equal_the_full_run()
    {
        const string layer = "fire9/concat_1";
        using var graph = OnnxGraph.Load(SharedData.Require(SqueezeNet));
        using var scorer = RuntimeScorer.FromTensor(graph, layer);
        using var scope = NewDisposeScope();
        var x = rand([3, 3, 224, 224], generator: new Generator(4)) * 255 - 117;

        using var run = graph.Run(x, new RunOptions { Capture = [layer] });
        var scores = scorer.Scores(run.Captured[layer]);

        Assert.Equal(layer, scorer.InputName);
        Assert.Equal([3L, 512, 13, 13], run.Captured[layer].shape);
        Assert.Equal([3L, 1000], scores.shape);
        Assert.True(OrtOracle.RelativeDifference(scores, run.Scores) < 2e-3);
    }

    [Fact]
    public void Activation_scores_of_ResNets_last_layer_equal_the_full_run()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(ResNet));
        using var scorer = RuntimeScorer.FromTensor(graph, ResNetLastLayer);
        using var scope = NewDisposeScope();
        var x = randn([3, 3, 224, 224], generator: new Generator(5));

        using var run = graph.Run(x, new RunOptions { Capture = [ResNetLastLayer] });
        var scores = scorer.Scores(run.Captured[ResNetLastLayer]);

        Assert.True(OrtOracle.RelativeDifference(scores, run.Scores) < 1e-4);
    }

    [Fact]
    public void Modified_activations_score_like_gaze_with_the_tensor_replaced()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(ResNet));
        using var scorer = RuntimeScorer.FromTensor(graph, ResNetLastLayer);
        using var scope = NewDisposeScope();
        var x = randn([2, 3, 224, 224], generator: new Generator(6));
        using var run = graph.Run(x, new RunOptions { Capture = [ResNetLastLayer] });
        // Ablation: channel 7 set to zero.
        var ablated = run.Captured[ResNetLastLayer].clone();
        ablated[.., 7] = zeros_like(ablated[.., 7]);

        var scores = scorer.Scores(ablated);
        using var replaced = graph.Run(x, new RunOptions { Replace = new Dictionary<string, Tensor> { [ResNetLastLayer] = ablated } });

        Assert.False(scores.Equals(run.Scores));
        Assert.True(OrtOracle.RelativeDifference(scores, replaced.Scores) < 1e-4);
    }

    [Fact]
    public void A_tensor_inside_a_residual_block_is_refused_naming_the_skip_connection()
    {
        const string inside = "/layer4/layer4.1/conv1/Conv_output_0";
        using var graph = OnnxGraph.Load(SharedData.Require(ResNet));

        var error = Assert.Throws<LayerBypassedException>(() => RuntimeScorer.FromTensor(graph, inside));

        Assert.Equal(inside, error.Layer);
        // The block's input goes around conv1 to the residual Add.
        Assert.Equal("/layer4/layer4.0/relu_1/Relu_output_0", error.Bypass);
        Assert.Contains(inside, error.Message);
        Assert.Contains("does not pass through", error.Message);
    }

    [Fact]
    public void A_tensor_after_the_score_is_refused()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(SqueezeNet));

        var error = Assert.Throws<LayerBypassedException>(() => RuntimeScorer.FromTensor(graph, "softmaxout_1"));

        Assert.Null(error.Bypass);
        Assert.Contains("softmaxout_1", error.Message);
    }

    [Fact]
    public void An_unknown_tensor_name_is_reported_with_the_nearest_names()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(SqueezeNet));

        var error = Assert.Throws<UnknownLayerException>(() => RuntimeScorer.FromTensor(graph, "fire9/concat_1x"));

        Assert.Contains("fire9/concat_1", error.Nearest);
    }

    [Fact]
    public void A_batch_with_the_wrong_channel_count_is_refused()
    {
        using var graph = OnnxGraph.Load(SharedData.Require(SqueezeNet));
        using var scorer = RuntimeScorer.FromTensor(graph, "fire9/concat_1");
        using var scope = NewDisposeScope();

        Assert.Throws<ModelInputException>(() => scorer.Scores(zeros(2, 256, 13, 13)));
    }

    [Fact]
    public void A_hard_coded_batch_that_fails_runs_sample_by_sample()
    {
        using var dir = new TempDirectory();
        // y = Reshape(x, [1,4]) @ W: a batch other than 1 cannot run at once.
        var weights = new float[] { 1, 2, 3, -1, 0.5f, 2, 0, 1, -2, 4, 1, 0 };
        var builder = new TestModelBuilder()
            .Input("x", 1, 4)
            .Initializer("shape", new long[] { 1, 4 }, 2)
            .Initializer("w", weights, 4, 3)
            .Node("Reshape", ["x", "shape"], ["r"]).Node("MatMul", ["r", "w"], ["y"]).Output("y");
        using var graph = OnnxGraph.Load(builder.Save(dir.File("fixed.onnx")));
        using var scorer = RuntimeScorer.ForInput(graph);
        using var scope = NewDisposeScope();
        var x = randn([3, 4], generator: new Generator(7));

        var scores = scorer.Scores(x);

        Assert.True(scorer.RunsSampleBySample);
        Assert.True(OrtOracle.RelativeDifference(scores, x.matmul(tensor(weights).reshape(4, 3))) < 1e-6);
    }

    [Fact]
    public void A_hard_coded_batch_that_mixes_samples_runs_sample_by_sample()
    {
        using var dir = new TempDirectory();
        // y = sum over Reshape(x, [1,-1]): a batch of three runs, but sums all samples together.
        var builder = new TestModelBuilder()
            .Input("x", 1, 4)
            .Initializer("shape", new long[] { 1, -1 }, 2)
            .Initializer("axes", new long[] { 1 }, 1)
            .Node("Reshape", ["x", "shape"], ["r"]).Node("ReduceSum", ["r", "axes"], ["y"]).Output("y");
        using var graph = OnnxGraph.Load(builder.Save(dir.File("mixing.onnx")));
        using var scorer = RuntimeScorer.ForInput(graph);
        using var scope = NewDisposeScope();
        var x = randn([3, 4], generator: new Generator(8));

        var scores = scorer.Scores(x);

        Assert.True(scorer.RunsSampleBySample);
        Assert.True(OrtOracle.RelativeDifference(scores, x.sum(1, keepdim: true)) < 1e-6);
    }
}
