namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// A perturbation curve: the target's probability, normalised by its probability on the clean image, after removing
/// (deletion) or inserting (insertion) the given fractions of the pixels, and the area under it (Petsiuk, Das and
/// Saenko, "RISE: Randomized Input Sampling for Explanation of Black-box Models", BMVC 2018).
/// </summary>
/// <param name="Fractions">The fraction of the pixels removed or inserted at each step, rising from 0 to 1.</param>
/// <param name="Values">The target's probability at each step divided by its probability on the clean image.</param>
/// <param name="Auc">The area under the curve over [0, 1] by the trapezoid rule (see <see cref="TrapezoidArea"/>).</param>
public sealed record FaithfulnessCurve(double[] Fractions, double[] Values, double Auc)
{
    /// <summary>The curve through the given points, with its area by the trapezoid rule.</summary>
    /// <exception cref="ArgumentException">See <see cref="TrapezoidArea"/>.</exception>
    public static FaithfulnessCurve Of(double[] fractions, double[] values) => new(fractions, values, TrapezoidArea(fractions, values));

    /// <summary>
    /// The area under the piecewise linear curve through (<paramref name="fractions"/>[i], <paramref name="values"/>[i]):
    /// the sum of (x[i+1] − x[i]) (y[i] + y[i+1]) / 2. Over fractions from 0 to 1 it is the curve's mean height.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, have fewer than two points, or the fractions fall somewhere.</exception>
    public static double TrapezoidArea(IReadOnlyList<double> fractions, IReadOnlyList<double> values)
    {
        if (fractions.Count != values.Count)
            throw new ArgumentException($"{fractions.Count} fractions but {values.Count} values", nameof(values));
        if (fractions.Count < 2) throw new ArgumentException("a curve needs at least two points", nameof(fractions));
        double area = 0;
        for (int i = 1; i < fractions.Count; i++)
        {
            double width = fractions[i] - fractions[i - 1];
            if (!(width >= 0)) throw new ArgumentException($"the fractions must not fall, but {fractions[i - 1]} is followed by {fractions[i]}", nameof(fractions));
            area += width * (values[i - 1] + values[i]) / 2;
        }
        return area;
    }
}
