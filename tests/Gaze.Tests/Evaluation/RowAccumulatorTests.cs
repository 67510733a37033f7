using Gaze.Evaluation;

namespace Gaze.Tests.Evaluation;

public sealed class RowAccumulatorTests
{
    [Fact]
    public void Figures_and_curves_are_means_over_the_images_that_have_them()
    {
        var row = new RowAccumulator("gradcam", isBaseline: false, worstCapacity: 2);
        row.AddFigure("deletion_auc", 0.2);
        row.AddFigure("deletion_auc", 0.4);
        row.AddFigure("energy", 0.9);
        row.AddFigure("energy", double.NaN);
        row.AddCurve(RowAccumulator.Curves.Deletion, [1.0, 0.5, 0.0]);
        row.AddCurve(RowAccumulator.Curves.Deletion, [1.0, 0.3, 0.2]);
        row.AddTime(30, 3);

        ScoreRow result = row.ToRow();

        Assert.Equal(0.3, result.Figures["deletion_auc"], 12);
        Assert.Equal(0.9, result.Figures["energy"], 12);
        Assert.Equal([1.0, 0.4, 0.1], result.Curves.Deletion.Select(v => Math.Round(v, 12)));
        Assert.Empty(result.Curves.Insertion);
        Assert.Equal(10, result.Milliseconds);
    }

    [Fact]
    public void Worst_images_keep_the_lowest_energy_or_the_highest_deletion_area()
    {
        var energy = new RowAccumulator("gradcam", isBaseline: false, worstCapacity: 2);
        foreach (var (name, value) in new[] { ("a", 0.5), ("b", 0.1), ("c", 0.9), ("d", 0.3) })
            energy.OfferWorst(new WorstImage(name, EvaluationMetrics.EnergyFigure, value, []));
        Assert.Equal(["b", "d"], energy.ToRow().Worst.Select(w => w.Name));

        var deletion = new RowAccumulator("gradcam", isBaseline: false, worstCapacity: 2);
        foreach (var (name, value) in new[] { ("a", 0.5), ("b", 0.1), ("c", 0.9), ("d", 0.3) })
            deletion.OfferWorst(new WorstImage(name, EvaluationMetrics.DeletionFigure, value, []));
        Assert.Equal(["c", "a"], deletion.ToRow().Worst.Select(w => w.Name));
        Assert.False(deletion.WouldKeep(EvaluationMetrics.DeletionFigure, 0.2));
    }
}
