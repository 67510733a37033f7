namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// ROAD's scores of one heatmap (see <see cref="Road"/>): at each removed percentage, the target's probability after
/// noisy linear imputation divided by its probability on the clean image, removing the most relevant pixels first
/// (MoRF) and the least relevant first (LeRF).
/// </summary>
/// <param name="Percentages">The percentages of the pixels removed, in the order of the value lists.</param>
/// <param name="MostRelevantFirstValues">p / p_clean after removing the most relevant pixels first, per percentage.</param>
/// <param name="LeastRelevantFirstValues">p / p_clean after removing the least relevant pixels first, per percentage.</param>
/// <param name="CleanProbability">The target's probability on the clean image, p_clean.</param>
public sealed record RoadResult(double[] Percentages, double[] MostRelevantFirstValues, double[] LeastRelevantFirstValues, double CleanProbability)
{
    /// <summary>The mean of <see cref="MostRelevantFirstValues"/>: lower is better (removing what matters hurts).</summary>
    public double MostRelevantFirst => MostRelevantFirstValues.Average();

    /// <summary>The mean of <see cref="LeastRelevantFirstValues"/>: higher is better (removing what does not matter is harmless).</summary>
    public double LeastRelevantFirst => LeastRelevantFirstValues.Average();

    /// <summary>
    /// <see cref="LeastRelevantFirst"/> − <see cref="MostRelevantFirst"/>: higher is better, 0 for a heatmap that
    /// ranks no better than chance. pytorch-grad-cam's <c>ROADCombined</c> halves the same difference of averages
    /// taken over p − p_clean, i.e. it equals this value times p_clean / 2.
    /// </summary>
    public double Combined => LeastRelevantFirst - MostRelevantFirst;
}
