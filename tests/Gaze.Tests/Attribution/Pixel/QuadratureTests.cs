using Gaze.Attribution.Pixel;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>Integrated Gradients' quadrature rules: Captum's nodes, weights that sum to 1, Gauss–Legendre's exactness.</summary>
public sealed class QuadratureTests
{
    [Theory]
    [InlineData("trapezoid", 2)]
    [InlineData("trapezoid", 64)]
    [InlineData("left", 1)]
    [InlineData("right", 7)]
    [InlineData("middle", 50)]
    [InlineData("gauss-legendre", 1)]
    [InlineData("gauss-legendre", 64)]
    [InlineData("gauss-legendre", 1000)]
    public void Every_rules_weights_sum_to_one_over_ascending_nodes_in_the_unit_interval(string rule, int steps)
    {
        var (nodes, weights) = Quadrature.Of(rule, steps);
        Assert.Equal(steps, nodes.Length);
        Assert.Equal(steps, weights.Length);
        Assert.Equal(1.0, weights.Sum(), 12);
        Assert.All(weights, w => Assert.True(w > 0));
        Assert.All(nodes, a => Assert.InRange(a, 0.0, 1.0));
        for (int i = 1; i < steps; i++) Assert.True(nodes[i] > nodes[i - 1], $"{rule}: node {i} is not above node {i - 1}");
    }

    [Fact]
    public void The_riemann_rules_take_captums_nodes()
    {
        // captum/attr/_utils/approximation_methods.py, riemann_builders, for n = 4.
        Close([0, 1 / 3.0, 2 / 3.0, 1], Quadrature.Of("trapezoid", 4).Nodes, 1e-12);
        Close([0, 0.25, 0.5, 0.75], Quadrature.Of("left", 4).Nodes, 1e-12);
        Close([0.25, 0.5, 0.75, 1], Quadrature.Of("right", 4).Nodes, 1e-12);
        Close([0.125, 0.375, 0.625, 0.875], Quadrature.Of("middle", 4).Nodes, 1e-12);
        // Captum's trapezoid weights 1/n with halved ends (1/8, 1/4, 1/4, 1/8) sum to 3/4; normalised they are the
        // textbook rule 1/(n - 1) with halved ends.
        Close([1 / 6.0, 1 / 3.0, 1 / 3.0, 1 / 6.0], Quadrature.Of("trapezoid", 4).Weights, 1e-12);
        Close([0.25, 0.25, 0.25, 0.25], Quadrature.Of("middle", 4).Weights, 1e-12);
    }

    [Fact]
    public void Gauss_legendre_matches_the_closed_forms_of_two_and_three_nodes()
    {
        // On [-1,1]: ±1/√3 with weights 1; 0 and ±√(3/5) with weights 8/9 and 5/9. Mapped to [0,1]: (1 + x)/2, w/2.
        var (two, twoWeights) = Quadrature.Of("gauss-legendre", 2);
        Close([(1 - 1 / Math.Sqrt(3)) / 2, (1 + 1 / Math.Sqrt(3)) / 2], two, 1e-14);
        Close([0.5, 0.5], twoWeights, 1e-14);
        var (three, threeWeights) = Quadrature.Of("gauss-legendre", 3);
        Close([(1 - Math.Sqrt(0.6)) / 2, 0.5, (1 + Math.Sqrt(0.6)) / 2], three, 1e-14);
        Close([5 / 18.0, 8 / 18.0, 5 / 18.0], threeWeights, 1e-14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(20)]
    public void Gauss_legendre_with_n_nodes_integrates_every_polynomial_up_to_degree_2n_minus_1_exactly(int n)
    {
        var (nodes, weights) = Quadrature.Of("gauss-legendre", n);
        for (int degree = 0; degree <= 2 * n - 1; degree++)
        {
            double sum = nodes.Select((a, i) => weights[i] * Math.Pow(a, degree)).Sum();
            Assert.True(Math.Abs(sum - 1.0 / (degree + 1)) < 1e-13, $"n = {n}, degree {degree}: {sum} instead of {1.0 / (degree + 1)}");
        }
        // Degree 2n is where it stops being exact: the error (n!)⁴ / ((2n + 1) ((2n)!)²) shows above rounding up to n = 9.
        if (n > 9) return;
        double beyond = nodes.Select((a, i) => weights[i] * Math.Pow(a, 2 * n)).Sum();
        Assert.True(Math.Abs(beyond - 1.0 / (2 * n + 1)) > 1e-12, $"n = {n}: degree {2 * n} exact too");
    }

    private static void Close(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: {actual[i]:R} instead of {expected[i]:R}");
    }

    [Fact]
    public void The_trapezoid_needs_two_steps_and_an_unknown_rule_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Quadrature.Of("trapezoid", 1));
        Assert.Throws<ArgumentException>(() => Quadrature.Of("gauss-legendre", 0));
        Assert.Throws<ArgumentException>(() => Quadrature.Of("simpson", 8));
    }
}
