using Gaze.Errors;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// Integrated Gradients (Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", ICML 2017):
/// (x − x′) · ∫₀¹ ∂F(x′ + α(x − x′))/∂x dα, the gradients along the straight path from a baseline x′ to the input,
/// integrated by a quadrature rule (<see cref="Quadrature"/>; Captum's trapezoid over 64 steps by default) and times
/// the difference from the baseline. Completeness says the attributions sum to F(x) − F(x′); what they miss by is
/// the integration error, reported per image as the figures <c>delta</c> = Σ attributions − (F(x) − F(x′)) and
/// <c>completeness_gap</c> = |delta| / |F(x) − F(x′)|, with F the target's pre-softmax score (NaN when the
/// baseline scores exactly as the input, where no relative error exists).
/// The path's points run through the network <see cref="AttributionOptions.BatchSize"/> at a time, so memory does
/// not grow with the number of steps.
/// </summary>
public sealed class IntegratedGradients : AttributionMethod
{
    /// <summary>The default number of steps (Captum's 50 rounded to a power of two; the paper suggests 20 to 300).</summary>
    public const int DefaultSteps = 64;

    /// <summary>The most steps accepted: beyond it the run takes hours and the integration error no longer shows.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>The figure of the integration error, Σ attributions − (F(x) − F(x′)).</summary>
    public const string DeltaFigure = "delta";

    /// <summary>The figure of the relative integration error, |delta| / |F(x) − F(x′)|.</summary>
    public const string GapFigure = "completeness_gap";

    /// <summary>Integrated Gradients with the defaults: 64 trapezoid steps from a black image.</summary>
    public IntegratedGradients() : this(DefaultSteps, Quadrature.Trapezoid, Baseline.Black, 0) { }

    private IntegratedGradients(int steps, string rule, Baseline baseline, int seed)
    {
        Steps = steps;
        Rule = rule;
        Baseline = baseline;
        Seed = seed;
    }

    /// <inheritdoc />
    public override string Name => "integrated-gradients";

    /// <inheritdoc />
    public override string Summary => "Integrated Gradients: gradients along the path from a baseline (Sundararajan et al., ICML 2017)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients;

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options =>
        [MethodOption.Steps, MethodOption.Rule, MethodOption.Baseline, MethodOption.Seed];

    /// <summary>The points on the path.</summary>
    public int Steps { get; }

    /// <summary>The quadrature rule (one of <see cref="Quadrature.Rules"/>).</summary>
    public string Rule { get; }

    /// <summary>The reference input x′.</summary>
    public Baseline Baseline { get; }

    /// <summary>The seed of a random baseline.</summary>
    public int Seed { get; }

    /// <summary>
    /// <see cref="Steps"/> forward and backward passes, in batches of <see cref="AttributionOptions.BatchSize"/> (the
    /// default 32 here: the method meets its context only when it runs); two forward passes, of the input and of the
    /// baseline, come on top.
    /// </summary>
    public override RequiredRuns? RunsPerImage(AttributionContext context, long height, long width) =>
        new(Steps, context.Options.BatchSize, Backward: true);

    /// <inheritdoc />
    public override AttributionMethod Configure(MethodSettings settings)
    {
        string rule = settings.Choice(MethodOption.Rule, Quadrature.Trapezoid, [.. Quadrature.Rules]);
        int least = Quadrature.MinimumSteps(rule);
        int steps = settings.Int(MethodOption.Steps, DefaultSteps, min: 1, max: MaxSteps);
        if (steps < least) throw new InvalidOptionException(MethodOption.Steps.Name, $"the {rule} rule needs at least {least} steps, got {steps}");
        Baseline baseline = settings.Text(MethodOption.Baseline) is { } text ? Baseline.Parse(text) : Baseline.Black;
        int seed = settings.Int(MethodOption.Seed, 0, min: 0);
        return new IntegratedGradients(steps, rule, baseline, seed);
    }

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        // The explanation is made outside the scope of the work, which would free the heatmaps it makes.
        var (attributions, scores, resolved, figures) = Integrate(context, input, targets);
        return PixelMaps.Explanation(attributions, scores, resolved, figures);
    }

    /// <summary>The attributions, the scores of the unmodified input, the targets and the completeness figures.</summary>
    private (Tensor Attributions, Tensor Scores, IReadOnlyList<int> Targets, Dictionary<string, IReadOnlyList<double>> Figures) Integrate(
        AttributionContext context, Tensor input, TargetRequest targets)
    {
        using var scope = NewDisposeScope();
        long images = input.shape[0];
        Tensor baselines = Baseline.For(input, context, Seed);
        Tensor scores = context.GraphScores(input);
        IReadOnlyList<int> resolved = targets.Resolve(scores);
        Tensor baselineScores = TargetScores(context, baselines, resolved);
        Tensor difference = input - baselines;

        var (nodes, weights) = Quadrature.Of(Rule, Steps);
        Tensor alphas = tensor(nodes, ScalarType.Float64).to(input.dtype);
        Tensor stepWeights = tensor(weights, ScalarType.Float64);
        // Σ wᵢ ∇F at the path's points, per image, accumulated in double precision over the batches.
        Tensor integral = zeros(input.shape, ScalarType.Float64);
        long points = images * Steps;
        int batch = context.Options.BatchSize;
        for (long start = 0; start < points; start += batch)
        {
            using var inner = NewDisposeScope();
            // Point k is step k mod Steps of image k div Steps: a batch may span images, so few steps still fill it.
            Tensor k = arange(start, Math.Min(start + batch, points), ScalarType.Int64);
            Tensor image = k.div(Steps, RoundingMode.floor);
            Tensor step = k.remainder(Steps);
            Tensor alpha = alphas.index_select(0, step).view(-1, 1, 1, 1);
            Tensor path = baselines.index_select(0, image) + alpha * difference.index_select(0, image);
            int[] pointTargets = image.data<long>().Select(i => resolved[(int)i]).ToArray();
            var (_, _, gradients) = context.InputGradients(path, TargetRequest.Classes(pointTargets));
            integral.index_add_(0, image, gradients.to(ScalarType.Float64) * stepWeights.index_select(0, step).view(-1, 1, 1, 1), 1);
        }

        Tensor attributions = difference.to(ScalarType.Float64) * integral;
        double[] sums = attributions.flatten(1).sum(1).data<double>().ToArray();
        double[] inputScores = Gather(scores, resolved);
        double[] referenceScores = baselineScores.to(ScalarType.Float64).data<double>().ToArray();
        var delta = new double[images];
        var gap = new double[images];
        for (int i = 0; i < images; i++)
        {
            double change = inputScores[i] - referenceScores[i];
            delta[i] = sums[i] - change;
            gap[i] = Math.Abs(delta[i]) / Math.Abs(change);
        }
        var figures = new Dictionary<string, IReadOnlyList<double>> { [DeltaFigure] = delta, [GapFigure] = gap };
        return (attributions.to(input.dtype).MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), resolved, figures);
    }

    /// <summary>Each image's target score [N] for a batch of NCHW inputs, on Gaze's own graph.</summary>
    private static Tensor TargetScores(AttributionContext context, Tensor inputs, IReadOnlyList<int> targets)
    {
        Tensor index = tensor(targets.Select(t => (long)t).ToArray()).unsqueeze(1);
        return context.GraphScores(inputs).gather(1, index).squeeze(1);
    }

    private static double[] Gather(Tensor scores, IReadOnlyList<int> targets)
    {
        using var scope = NewDisposeScope();
        Tensor values = scores.to(ScalarType.Float64);
        return targets.Select((t, i) => values[i, t].item<double>()).ToArray();
    }
}
