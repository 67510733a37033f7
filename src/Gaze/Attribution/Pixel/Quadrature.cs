namespace Gaze.Attribution.Pixel;

/// <summary>
/// Rules that approximate ∫₀¹ f(α) dα by Σ wᵢ f(αᵢ), for Integrated Gradients' path integral: Captum's four Riemann
/// rules and Gauss–Legendre. Every rule's weights sum to 1, so that a constant gradient (a linear model) is integrated
/// exactly and completeness holds up to the integration error alone.
/// </summary>
public static class Quadrature
{
    /// <summary>The default rule.</summary>
    public const string Trapezoid = "trapezoid";

    /// <summary>Gauss–Legendre: exact for polynomials up to degree 2n − 1.</summary>
    public const string GaussLegendre = "gauss-legendre";

    /// <summary>Every rule's name, the default first.</summary>
    public static IReadOnlyList<string> Rules { get; } = [Trapezoid, "left", "right", "middle", GaussLegendre];

    /// <summary>The fewest nodes <paramref name="rule"/> takes: the trapezoid needs both ends.</summary>
    public static int MinimumSteps(string rule) => rule == Trapezoid ? 2 : 1;

    /// <summary>
    /// The nodes αᵢ in [0,1] (ascending) and weights wᵢ of <paramref name="rule"/> with <paramref name="steps"/> nodes.
    /// The Riemann rules take Captum's nodes (<c>captum.attr._utils.approximation_methods</c>): the trapezoid
    /// linspace(0, 1, n), left linspace(0, 1 − 1/n, n), right linspace(1/n, 1, n), middle linspace(1/2n, 1 − 1/2n, n).
    /// Captum weighs every trapezoid node 1/n with the end weights halved, which sums to 1 − 1/n and so biases the
    /// integral low by 1/n (e.g. 1.6% at 64 steps); here those weights are normalised to sum 1, which is the
    /// textbook trapezoid rule 1/(n − 1) with halved ends.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown rule, or fewer steps than <see cref="MinimumSteps"/>.</exception>
    public static (double[] Nodes, double[] Weights) Of(string rule, int steps)
    {
        if (steps < MinimumSteps(rule)) throw new ArgumentException($"{rule} needs at least {MinimumSteps(rule)} steps, got {steps}", nameof(steps));
        int n = steps;
        double[] nodes, weights;
        switch (rule)
        {
            case Trapezoid:
                nodes = Linspace(0, 1, n);
                weights = Enumerable.Repeat(1.0 / (n - 1), n).ToArray();
                weights[0] /= 2;
                weights[^1] /= 2;
                break;
            case "left":
                nodes = Linspace(0, 1 - 1.0 / n, n);
                weights = Enumerable.Repeat(1.0 / n, n).ToArray();
                break;
            case "right":
                nodes = Linspace(1.0 / n, 1, n);
                weights = Enumerable.Repeat(1.0 / n, n).ToArray();
                break;
            case "middle":
                nodes = Linspace(1.0 / (2 * n), 1 - 1.0 / (2 * n), n);
                weights = Enumerable.Repeat(1.0 / n, n).ToArray();
                break;
            case GaussLegendre:
                (nodes, weights) = GaussLegendreOnUnitInterval(n);
                break;
            default:
                throw new ArgumentException($"unknown rule '{rule}'; choose from {string.Join(", ", Rules)}", nameof(rule));
        }
        return (nodes, weights);
    }

    /// <summary>
    /// Gauss–Legendre nodes and weights on [0,1]: the roots xᵢ of the Legendre polynomial Pₙ found by Newton's method
    /// from Tricomi's estimate cos(π(i − 1/4)/(n + 1/2)), weights 2 / ((1 − xᵢ²) Pₙ′(xᵢ)²), then mapped from [−1,1]
    /// by α = (1 + x)/2, w/2 (as Captum maps numpy's <c>leggauss</c>).
    /// </summary>
    internal static (double[] Nodes, double[] Weights) GaussLegendreOnUnitInterval(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        // The roots are symmetric about 0: find the non-negative half and mirror it.
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double value, derivative) = Legendre(n, z);
                double step = value / derivative;
                z -= step;
                if (Math.Abs(step) <= 1e-15) break;
            }
            (_, derivative) = Legendre(n, z);
            double weight = 1.0 / ((1 - z * z) * derivative * derivative);   // half of 2 / (...), for [0,1]
            nodes[i] = (1 - z) / 2;
            nodes[n - 1 - i] = (1 + z) / 2;
            weights[i] = weights[n - 1 - i] = weight;
        }
        return (nodes, weights);
    }

    /// <summary>Pₙ(x) and Pₙ′(x) by the three-term recurrence (j + 1) Pⱼ₊₁ = (2j + 1) x Pⱼ − j Pⱼ₋₁.</summary>
    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, current = x;
        if (n == 0) return (1, 0);
        for (int j = 1; j < n; j++)
        {
            double next = ((2 * j + 1) * x * current - j * previous) / (j + 1);
            previous = current;
            current = next;
        }
        // Pₙ′(x) = n (x Pₙ − Pₙ₋₁) / (x² − 1); the nodes are never ±1.
        return (current, n * (x * current - previous) / (x * x - 1));
    }

    /// <summary>torch.linspace's values in double precision: start + i (end − start)/(n − 1).</summary>
    private static double[] Linspace(double start, double end, int n) =>
        n == 1 ? [start] : Enumerable.Range(0, n).Select(i => start + i * (end - start) / (n - 1)).ToArray();
}
