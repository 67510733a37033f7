using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Gradients with respect to layers and inputs are right, and touch no parameter.</summary>
public sealed class GradientTests
{
    /// <summary>
    /// A small float64 CNN: x[1,2,5,5] -> Conv -> Relu (= "act") -> Conv -> Tanh -> GlobalAveragePool -> Flatten
    /// -> Gemm -> scores[1,3].
    /// </summary>
    private static string SmallCnn(TempDirectory dir)
    {
        var random = new Random(11);
        TensorProto Weights(string name, params long[] dims)
        {
            long count = dims.Aggregate(1L, (a, b) => a * b);
            var t = new TensorProto { Name = name, DataType = 11 };
            t.Dims.AddRange(dims);
            for (long i = 0; i < count; i++) t.DoubleData.Add(random.NextDouble() - 0.5);
            return t;
        }
        var builder = new TestModelBuilder()
            .TypedInput("x", 11, 1, 2, 5, 5)
            .Initializer(Weights("w1", 4, 2, 3, 3)).Initializer(Weights("b1", 4))
            .Initializer(Weights("w2", 3, 4, 3, 3)).Initializer(Weights("w3", 3, 3)).Initializer(Weights("b3", 3))
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c1"], ["act"])
            .Node("Conv", ["act", "w2"], ["c2"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Tanh", ["c2"], ["t"]).Node("GlobalAveragePool", ["t"], ["g"]).Node("Flatten", ["g"], ["f"])
            .Node("Gemm", ["f", "w3", "b3"], ["scores"], ("transB", 1L))
            .Output("scores", 11);
        return builder.Save(dir.File("small-cnn.onnx"));
    }

    [Fact]
    public void Gradient_with_respect_to_a_layer_matches_finite_differences()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(SmallCnn(dir));
        using var scope = NewDisposeScope();
        var x = randn([1, 2, 5, 5], ScalarType.Float64, generator: new TorchSharp.torch.Generator(2));

        using var run = graph.Run(x, new RunOptions { Capture = ["act"], Gradients = true });
        var activation = run.Captured["act"];
        var gradient = Gradients.Of(run.Scores[0, 1], activation);

        const double eps = 1e-6;
        var baseline = activation.detach();
        var flat = gradient.flatten();
        foreach (long i in new long[] { 0, 7, 33, 58, 99 })
        {
            var bump = zeros_like(baseline).flatten();
            bump[i] = eps;
            bump = bump.reshape(baseline.shape);
            double Score(Tensor a)
            {
                using var r = graph.Run(x, new RunOptions { Replace = new Dictionary<string, Tensor> { ["act"] = a } });
                return r.Scores[0, 1].item<double>();
            }
            double numeric = (Score(baseline + bump) - Score(baseline - bump)) / (2 * eps);
            Assert.Equal(numeric, flat[i].item<double>(), 1e-8);
        }
    }

    [Fact]
    public void Input_gradient_matches_finite_differences_and_leaves_parameters_alone()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(SmallCnn(dir));
        using var scope = NewDisposeScope();
        var x = randn([1, 2, 5, 5], ScalarType.Float64, generator: new TorchSharp.torch.Generator(4));

        using var run = graph.Run(x, new RunOptions { InputGradient = true });
        var gradient = Gradients.Of(run.Scores[0, 2], run.Inputs[0]).flatten();

        const double eps = 1e-6;
        foreach (long i in new long[] { 1, 12, 30, 49 })
        {
            var bump = zeros_like(x).flatten();
            bump[i] = eps;
            bump = bump.reshape(x.shape);
            double numeric = (graph.Scores(x + bump)[0, 2].item<double>() - graph.Scores(x - bump)[0, 2].item<double>()) / (2 * eps);
            Assert.Equal(numeric, gradient[i].item<double>(), 1e-8);
        }
        Assert.False(graph.Initializer("w1").requires_grad);
        Assert.False(x.requires_grad);
    }

    [Fact]
    public void Layer_gradients_do_not_accumulate_into_trainable_parameters()
    {
        using var dir = new TempDirectory();
        using var graph = OnnxGraph.Load(SmallCnn(dir));
        var parameters = graph.MakeTrainable();
        using var scope = NewDisposeScope();
        var x = randn([1, 2, 5, 5], ScalarType.Float64, generator: new TorchSharp.torch.Generator(6));

        using var run = graph.Run(x, new RunOptions { Capture = ["act"], Gradients = true });
        var g = Gradients.Of(run.Scores[0, 0], run.Captured["act"]);

        Assert.True(g.abs().sum().item<double>() > 0);
        Assert.Equal(5, parameters.Count);
        Assert.All(parameters, p => Assert.True(p.grad is null || p.grad.IsInvalid));
    }

    [Fact]
    public void Inference_runs_record_no_autograd_graph()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/mnist-cntk.onnx"));
        using var scope = NewDisposeScope();

        using var run = graph.Run(randn(1, 1, 28, 28));

        Assert.False(run.Output.requires_grad);
        Assert.All(graph.InitializerNames, n => Assert.False(graph.Initializer(n).requires_grad));
    }
}
