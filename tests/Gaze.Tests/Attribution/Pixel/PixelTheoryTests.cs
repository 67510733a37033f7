using Gaze.Attribution;
using Gaze.Attribution.Pixel;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// Where the theory is exact, the gradient attributions must agree with it on small hand-built networks: on a linear
/// model every gradient is the weight vector, so Gradient x Input is each term of the sum and Integrated Gradients
/// from the zero baseline is the same; the baselines differ by the preprocessing alone; SmoothGrad and VarGrad are
/// the mean and variance of gradients at seeded noisy copies.
/// </summary>
public sealed class PixelTheoryTests
{
    // Preprocessing with a per-channel mean and std, so that the black image is far from zero and differs per channel.
    private static readonly ModelInput Preprocessing = ModelInput.Default with
    {
        Size = InputSize.Square(4),
        Range = 255,
        Mean = [104, 117, 123],
        Std = [2, 4, 8],
    };

    /// <summary>x [N,3,4,4] → Flatten → Gemm (W [2,48], b [2], transB): scores = W x + b.</summary>
    private static (string Path, float[] Weights, float[] Bias) LinearNetwork(TempDirectory dir)
    {
        var random = new Random(3);
        float[] weights = Enumerable.Range(0, 2 * 48).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] bias = [0.25f, -0.5f];
        string path = new TestModelBuilder()
            .Input("x", null, 3, 4, 4)
            .Initializer("w", weights, 2, 48).Initializer("b", bias, 2)
            .Node("Flatten", ["x"], ["f"])
            .Node("Gemm", ["f", "w", "b"], ["scores"], ("transB", 1L))
            .Output("scores").Save(dir.File("linear.onnx"));
        return (path, weights, bias);
    }

    /// <summary>x [N,3,6,6] → Conv 3x3 (pads 1) → Relu → GlobalAveragePool → Flatten → Gemm: scores [N,3], not linear.</summary>
    private static string ReluNetwork(TempDirectory dir)
    {
        var random = new Random(5);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return new TestModelBuilder()
            .Input("x", null, 3, 6, 6)
            .Initializer("w1", Values(4 * 3 * 9), 4, 3, 3, 3).Initializer("b1", Values(4), 4)
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c1"], ["act"])
            .Node("GlobalAveragePool", ["act"], ["pooled"]).Node("Flatten", ["pooled"], ["features"])
            .Initializer("w2", Values(3 * 4), 3, 4).Initializer("b2", Values(3), 3)
            .Node("Gemm", ["features", "w2", "b2"], ["scores"], ("transB", 1L))
            .Output("scores").Save(dir.File("relu.onnx"));
    }

    private static Tensor RandomInput(int images, int side, int seed)
    {
        manual_seed(seed);
        return randn(images, 3, side, side) * 20;
    }

    private static AttributionMethod Configured(AttributionMethod method, params (string Option, string Value)[] settings) =>
        method.Configure(new MethodSettings(settings.ToDictionary(s => s.Option, s => s.Value)));

    private static Explainer LinearExplainer(OnnxGraph graph, int batchSize = 32) =>
        new(graph, [], new AttributionOptions { Input = Preprocessing, BatchSize = batchSize });

    [Fact]
    public void On_a_linear_model_gradient_x_input_is_each_terms_exact_contribution()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var (path, weights, bias) = LinearNetwork(dir);
        using OnnxGraph graph = OnnxGraph.Load(path);
        using Explainer explainer = LinearExplainer(graph);
        Tensor x = RandomInput(1, 4, 11);
        for (int target = 0; target < 2; target++)
        {
            using Explanation explanation = explainer.Explain(new GradientXInput(), x, [target]);
            Tensor w = tensor(weights).view(2, 3, 4, 4)[target];
            Tensor contributions = x[0] * w;
            Assert.True(explanation.Attributions![0].allclose(contributions, rtol: 1e-5, atol: 1e-5), $"class {target}");
            // The terms and the bias make up the score.
            double score = explanation.Scores[0, target].item<float>();
            Assert.Equal(score, contributions.sum().item<float>() + bias[target], 3);
        }
    }

    [Theory]
    [InlineData("trapezoid", 2)]
    [InlineData("trapezoid", 64)]
    [InlineData("left", 3)]
    [InlineData("right", 5)]
    [InlineData("middle", 1)]
    [InlineData("gauss-legendre", 7)]
    public void On_a_linear_model_integrated_gradients_from_the_mean_baseline_equals_gradient_x_input(string rule, int steps)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(LinearNetwork(dir).Path);
        using Explainer explainer = LinearExplainer(graph, batchSize: 4);
        Tensor x = RandomInput(2, 4, 12);
        AttributionMethod ig = Configured(new IntegratedGradients(), ("--baseline", "mean"), ("--rule", rule), ("--steps", steps.ToString()));
        using Explanation integrated = explainer.Explain(ig, x, [1, 0]);
        using Explanation gradientXInput = explainer.Explain(new GradientXInput(), x, [1, 0]);

        // A constant gradient integrates exactly whenever the rule's weights sum to 1.
        Assert.True(integrated.Attributions!.allclose(gradientXInput.Attributions!, rtol: 1e-5, atol: 1e-5),
            $"largest difference {(integrated.Attributions! - gradientXInput.Attributions!).abs().max().item<float>()}");
        foreach (double delta in integrated.Figures[IntegratedGradients.DeltaFigure]) Assert.True(Math.Abs(delta) < 1e-3, $"delta {delta}");
        foreach (double gap in integrated.Figures[IntegratedGradients.GapFigure]) Assert.True(gap < 1e-5, $"gap {gap}");
    }

    [Fact]
    public void The_black_and_mean_baselines_differ_exactly_by_the_preprocessing()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var (path, weights, _) = LinearNetwork(dir);
        using OnnxGraph graph = OnnxGraph.Load(path);
        using Explainer explainer = LinearExplainer(graph);
        Tensor x = RandomInput(2, 4, 13);

        Tensor black = Baseline.Black.For(x, explainer.Context, seed: 0);
        Tensor mean = Baseline.Mean.For(x, explainer.Context, seed: 0);
        Assert.Equal(0f, mean.abs().max().item<float>());
        // A black pixel (value 0) becomes (0 - mean) / std in each channel.
        Tensor expected = tensor(new[] { -104f / 2, -117f / 4, -123f / 8 }).view(1, 3, 1, 1).expand(2, 3, 4, 4);
        Assert.True(black.allclose(expected, rtol: 0, atol: 0), "black baseline");

        // On the linear model IG from x' is (x - x') w, so the two maps differ by -x'_black w.
        AttributionMethod fromBlack = Configured(new IntegratedGradients(), ("--steps", "4"));
        AttributionMethod fromMean = Configured(new IntegratedGradients(), ("--steps", "4"), ("--baseline", "mean"));
        using Explanation a = explainer.Explain(fromBlack, x, [0, 1]);
        using Explanation b = explainer.Explain(fromMean, x, [0, 1]);
        Tensor w = tensor(weights).view(2, 3, 4, 4);
        Tensor difference = b.Attributions! - a.Attributions!;
        Assert.True(difference.allclose(expected * w, rtol: 1e-4, atol: 1e-4),
            $"largest difference {(difference - expected * w).abs().max().item<float>()}");
    }

    [Fact]
    public void The_noise_baseline_is_seeded_and_within_the_valid_pixel_range()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(LinearNetwork(dir).Path);
        using Explainer explainer = LinearExplainer(graph);
        Tensor x = RandomInput(1, 4, 14);
        Tensor first = Baseline.Noise.For(x, explainer.Context, seed: 1);
        Assert.True(first.allclose(Baseline.Noise.For(x, explainer.Context, seed: 1), rtol: 0, atol: 0), "the same seed gives the same baseline");
        Assert.False(first.allclose(Baseline.Noise.For(x, explainer.Context, seed: 2), rtol: 0, atol: 0), "another seed gives another baseline");
        for (int c = 0; c < 3; c++)
        {
            var (low, high) = Preprocessing.ValueBounds(c);
            Tensor channel = first[0, c];
            Assert.True(channel.min().item<float>() >= low - 1e-4 && channel.max().item<float>() <= high + 1e-4, $"channel {c}");
            Assert.True(channel.std().item<float>() > 0.1 * (high - low), $"channel {c} varies");
        }
    }

    [Fact]
    public void The_blur_baseline_keeps_a_flat_image_and_smooths_an_edge()
    {
        using var scope = NewDisposeScope();
        Tensor flat = full(1, 3, 40, 40, 7.5f);
        Assert.True(GaussianBlur.Apply(flat, Baseline.BlurSigma).allclose(flat, rtol: 1e-5, atol: 1e-5), "a flat image is its own blur");

        // A vertical edge: after the blur the columns change gradually, and the far sides keep their values.
        Tensor edge = cat([zeros(1, 1, 64, 32), ones(1, 1, 64, 32)], 3);
        Tensor blurred = GaussianBlur.Apply(edge, Baseline.BlurSigma)[0, 0, 32];
        Assert.Equal(0.0, blurred[0].item<float>(), 3);
        Assert.Equal(1.0, blurred[63].item<float>(), 3);
        Assert.InRange(blurred[31].item<float>(), 0.4, 0.5);
        Assert.InRange(blurred[32].item<float>(), 0.5, 0.6);
        // Column 22 is 9.5 pixels from the edge: the Gaussian's tail beyond 0.95 sigma, 1 - Phi(0.95) = 0.171.
        Assert.Equal(0.171, blurred[22].item<float>(), 2);
    }

    [Fact]
    public void An_image_file_baseline_is_the_file_through_the_models_preprocessing()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(LinearNetwork(dir).Path);
        using Explainer explainer = LinearExplainer(graph);
        var picture = new RgbImage(9, 7, Enumerable.Range(0, 9 * 7 * 3).Select(i => (byte)(i * 37 % 251)).ToArray());
        string file = dir.File("baseline.png");
        ImageEncoder.Write(file, picture);

        Tensor x = RandomInput(2, 4, 15);
        Tensor baseline = Baseline.Parse(file).For(x, explainer.Context, seed: 0);
        Tensor expected = new ImagePreprocessor(Preprocessing).Preprocess(picture);
        Assert.True(baseline[0].allclose(expected[0], rtol: 0, atol: 0) && baseline[1].allclose(expected[0], rtol: 0, atol: 0));
    }

    [Fact]
    public void Integrated_gradients_of_a_batch_equal_those_of_each_image_alone()
    {
        // Five steps in batches of three: the batches span the two images.
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(ReluNetwork(dir));
        using var explainer = new Explainer(graph, [], new AttributionOptions { Input = Preprocessing with { Size = InputSize.Square(6) }, BatchSize = 3 });
        AttributionMethod ig = Configured(new IntegratedGradients(), ("--steps", "5"));
        Tensor x = RandomInput(2, 6, 16);
        using Explanation both = explainer.Explain(ig, x, [2, 0]);
        for (int i = 0; i < 2; i++)
        {
            using Explanation alone = explainer.Explain(ig, x.narrow(0, i, 1), [i == 0 ? 2 : 0]);
            Assert.True(both.Attributions![i].allclose(alone.Attributions![0], rtol: 1e-5, atol: 1e-6), $"image {i}");
            Assert.Equal(alone.Figures[IntegratedGradients.DeltaFigure][0], both.Figures[IntegratedGradients.DeltaFigure][i], 5);
        }
    }

    public static TheoryData<string> RegisteredMethods => [.. MethodRegistry.Default.Names];

    [Theory]
    [MemberData(nameof(RegisteredMethods))]
    public void Every_method_explains_each_image_of_a_batch_as_it_explains_that_image_alone(string name)
    {
        // Batches of three copies or masks span the two images, so a method that mixes images up, or that cannot
        // take more than one, fails here.
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(ReluNetwork(dir));
        using var explainer = new Explainer(graph, ["act"], new AttributionOptions { Input = Preprocessing with { Size = InputSize.Square(6) }, BatchSize = 3 });
        AttributionMethod method = Configured(MethodRegistry.Default.Get(name), name switch
        {
            "smoothgrad" or "vargrad" => [("--samples", "5")],
            "integrated-gradients" => [("--steps", "5")],
            "occlusion" => [("--window", "2"), ("--stride", "1")],
            "rise" => [("--masks", "40")],
            _ => [],
        });
        Tensor x = RandomInput(2, 6, 19);
        int[] targets = [2, 0];
        using Explanation both = explainer.Explain(method, x, targets);
        for (int i = 0; i < 2; i++)
        {
            using Explanation alone = explainer.Explain(method, x.narrow(0, i, 1), [targets[i]]);
            Assert.True(both.Heatmaps[i].allclose(alone.Heatmaps[0], rtol: 1e-4, atol: 1e-5), $"heatmap of image {i}");
            if (alone.Attributions is { } single)
            {
                Assert.True(both.Attributions![i].allclose(single[0], rtol: 1e-4, atol: 1e-5), $"attribution of image {i}");
            }
        }
    }

    [Fact]
    public void SmoothGrad_and_VarGrad_are_the_mean_and_variance_of_the_gradients_at_seeded_noisy_copies()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(ReluNetwork(dir));
        using var explainer = new Explainer(graph, [], new AttributionOptions { BatchSize = 4 });
        Tensor x = RandomInput(1, 6, 17);
        const int samples = 6, target = 1;
        const double noise = 0.2;
        using Explanation smooth = explainer.Explain(Configured(new SmoothGrad(), ("--samples", "6"), ("--noise", "0.2"), ("--seed", "9")), x, [target]);
        using Explanation variance = explainer.Explain(Configured(new VarGrad(), ("--samples", "6"), ("--noise", "0.2"), ("--seed", "9")), x, [target]);

        // The definition, one copy at a time: sigma = noise (max - min), copies from a generator seeded 9.
        double sigma = noise * (x.max().item<float>() - x.min().item<float>());
        using var generator = new Generator(9);
        var gradients = new List<Tensor>();
        for (int s = 0; s < samples; s++)
        {
            Tensor copy = x + sigma * randn([3, 6, 6], generator: generator).unsqueeze(0);
            gradients.Add(explainer.Context.InputGradients(copy, TargetRequest.Classes([target])).Gradients[0]);
        }
        Tensor all = stack(gradients);
        Assert.True(smooth.Attributions![0].allclose(all.mean([0]), rtol: 1e-4, atol: 1e-6), "SmoothGrad is the mean");
        Assert.True(variance.Attributions![0].allclose(all.var([0], unbiased: false), rtol: 1e-3, atol: 1e-8), "VarGrad is the population variance");
        Assert.True(variance.Attributions!.max().item<float>() > 0, "the noise changes the gradients");
    }

    [Theory]
    [InlineData("smoothgrad")]
    [InlineData("vargrad")]
    public void The_same_seed_gives_the_same_map_and_another_seed_another(string name)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(ReluNetwork(dir));
        using var explainer = new Explainer(graph, [], new AttributionOptions { BatchSize = 5 });
        using var otherBatches = new Explainer(graph, [], new AttributionOptions { BatchSize = 32 });
        AttributionMethod method = name == "smoothgrad" ? new SmoothGrad() : new VarGrad();
        AttributionMethod seeded = Configured(method, ("--samples", "12"), ("--seed", "3"));
        Tensor x = RandomInput(2, 6, 18);

        using Explanation first = explainer.Explain(seeded, x, [0, 2]);
        using Explanation again = explainer.Explain(seeded, x, [0, 2]);
        using Explanation other = explainer.Explain(Configured(method, ("--samples", "12"), ("--seed", "4")), x, [0, 2]);
        using Explanation batched = otherBatches.Explain(seeded, x, [0, 2]);
        using Explanation alone = explainer.Explain(seeded, x.narrow(0, 1, 1), [2]);

        Assert.True(first.Attributions!.allclose(again.Attributions!, rtol: 0, atol: 0), "the same seed");
        Assert.False(first.Attributions!.allclose(other.Attributions!, rtol: 1e-3, atol: 1e-7), "another seed");
        // An image's noise comes from its own generator: neither the batch size nor the other images change it.
        Assert.True(first.Attributions!.allclose(batched.Attributions!, rtol: 1e-5, atol: 1e-7), "another batch size");
        Assert.True(first.Attributions![1].allclose(alone.Attributions![0], rtol: 1e-5, atol: 1e-7), "the image alone");
    }

    [Fact]
    public void Without_noise_SmoothGrad_is_the_gradient_and_VarGrad_is_zero()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(ReluNetwork(dir));
        using var explainer = new Explainer(graph, []);
        Tensor x = RandomInput(1, 6, 19);
        using Explanation smooth = explainer.Explain(Configured(new SmoothGrad(), ("--samples", "3"), ("--noise", "0")), x, [1]);
        using Explanation variance = explainer.Explain(Configured(new VarGrad(), ("--samples", "3"), ("--noise", "0")), x, [1]);
        using Explanation gradient = explainer.Explain(new Gradient(), x, [1]);
        Assert.True(smooth.Attributions!.allclose(gradient.Attributions!, rtol: 1e-5, atol: 1e-7));
        Assert.True(variance.Attributions!.abs().max().item<float>() < 1e-10);
        Assert.True(gradient.Attributions!.abs().max().item<float>() > 0);
    }
}
