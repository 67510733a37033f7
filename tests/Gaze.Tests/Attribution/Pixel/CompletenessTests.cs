using System.Collections.Concurrent;
using Gaze.Attribution;
using Gaze.Attribution.Pixel;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// Integrated Gradients' completeness on SqueezeNet 1.1 and cat-and-dog.png: the attributions sum to F(x) − F(x′)
/// up to the integration error, which shrinks with the steps; against Captum's record of the same integrals
/// (Reference/captum-squeezenet.json).
/// </summary>
public sealed class CompletenessTests
{
    private static readonly ConcurrentDictionary<(int Target, string Rule, int Steps), Integral> Integrals = new();

    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    /// <summary>One run's figures: Σ attributions, the score difference F(x) − F(x′), delta and gap.</summary>
    private sealed record Integral(double Sum, double Change, double Delta, double Gap);

    /// <summary>Integrated Gradients of cat-and-dog.png for <paramref name="target"/> from a black image, computed once per test run.</summary>
    private static Integral Integrate(int target, string rule, int steps) => Integrals.GetOrAdd((target, rule, steps), _ =>
    {
        using LoadedModel model = LoadedModel.Open(Model);
        using var scope = NewDisposeScope();
        Tensor input = new ImagePreprocessor(model.Input).Preprocess(ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png")));
        using var explainer = new Explainer(model.Graph, [], new AttributionOptions { InputLayout = model.Input.Layout, Input = model.Input });
        AttributionMethod method = new IntegratedGradients().Configure(new MethodSettings(new Dictionary<string, string>
        {
            ["--rule"] = rule,
            ["--steps"] = steps.ToString(),
        }));
        using Explanation explanation = explainer.Explain(method, input, [target]);
        double sum = explanation.Attributions!.to(ScalarType.Float64).sum().item<double>();
        double delta = explanation.Figures[IntegratedGradients.DeltaFigure][0];
        return new Integral(sum, sum - delta, delta, explanation.Figures[IntegratedGradients.GapFigure][0]);
    });

    [Theory]
    [InlineData(243, 64, 0.05)]
    [InlineData(281, 64, 0.05)]
    [InlineData(243, 256, 0.01)]
    public void The_completeness_gap_of_the_trapezoid_is_within_bounds_and_below_captums(int target, int steps, double bound)
    {
        Integral ours = Integrate(target, "trapezoid", steps);
        var record = CaptumAgreementTests.Record("cat-and-dog", target);
        double captumDelta = record.GetProperty($"ig{steps}_delta").GetDouble();
        double captumGap = record.GetProperty($"ig{steps}_gap").GetDouble();

        Assert.True(ours.Gap < bound, $"gap {ours.Gap:P2} at {steps} steps, expected below {bound:P0}");
        double gap = Math.Abs(ours.Delta) / Math.Abs(ours.Change);
        Assert.True(Math.Abs(gap - ours.Gap) < 1e-6 * gap, $"completeness_gap {ours.Gap}, |delta| / |F(x) - F(x')| = {gap}");
        // The same network and baseline: F(x) − F(x′) as Captum found it.
        double captumChange = record.GetProperty("ig_score_difference").GetDouble();
        Assert.True(Math.Abs(ours.Change - captumChange) < 0.01, $"F(x) - F(x') = {ours.Change:F4}, Captum's {captumChange:F4}");
        // Captum weighs the trapezoid's nodes 1/n (summing to 1 − 1/n): scaled so, Gaze's sum gives Captum's delta,
        // and the normalised weights Gaze uses close most of Captum's gap.
        double asCaptum = ours.Sum * (steps - 1) / steps - ours.Change;
        Assert.True(Math.Abs(asCaptum - captumDelta) < 0.02, $"with Captum's weights the delta is {asCaptum:F4}, Captum's {captumDelta:F4}");
        Assert.True(ours.Gap < captumGap, $"gap {ours.Gap:P2}, Captum's {captumGap:P2}");
    }

    /// <remarks>
    /// A figure of this input, not a law: on a ReLU network the gradient along the path jumps wherever a unit switches,
    /// so Gauss–Legendre's polynomial exactness buys nothing and its error changes sign erratically with the steps.
    /// Measured gaps (Gauss–Legendre 32 / 64 / 128 / 256 against the trapezoid's 64 / 256): cat-and-dog 243
    /// 1.58 / 0.13 / 0.10 / 0.57% against 1.88 / 0.17%; cat-and-dog 281 2.35 / 1.04 / 1.47 / 0.23% against
    /// 1.45 / 0.02%; puppy-and-kitten 222 0.21 / 1.42 / 0.01 / 0.68% against 1.52 / 0.14%.
    /// </remarks>
    [Fact]
    public void On_cat_and_dog_gauss_legendre_reaches_the_gap_of_256_trapezoid_steps_with_64_steps()
    {
        Integral trapezoid = Integrate(243, "trapezoid", 256);
        Integral gaussLegendre = Integrate(243, "gauss-legendre", 64);
        Assert.True(gaussLegendre.Gap <= trapezoid.Gap,
            $"Gauss–Legendre 64 steps: gap {gaussLegendre.Gap:P3}; trapezoid 256 steps: {trapezoid.Gap:P3}");
    }
}
