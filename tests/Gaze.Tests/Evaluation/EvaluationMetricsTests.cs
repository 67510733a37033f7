using Gaze.Errors;
using Gaze.Evaluation;

namespace Gaze.Tests.Evaluation;

public sealed class EvaluationMetricsTests
{
    [Fact]
    public void All_without_ground_truth_leaves_out_the_localisation_metrics()
    {
        Assert.Equal(["deletion", "insertion", "confidence", "road"], EvaluationMetrics.Parse("all", hasGroundTruth: false));
        Assert.Equal(EvaluationMetrics.All, EvaluationMetrics.Parse("ALL", hasGroundTruth: true));
    }

    [Fact]
    public void Chosen_metrics_come_back_once_in_table_order()
    {
        Assert.Equal(["pointing", "deletion", "road"], EvaluationMetrics.Parse("road, deletion,pointing,road", hasGroundTruth: true));
    }

    [Theory]
    [InlineData("deletions", "unknown metric 'deletions'")]
    [InlineData(" , ", "name at least one metric")]
    [InlineData("energy", "'energy' needs ground truth")]
    public void Bad_metric_lists_name_the_option(string text, string problem)
    {
        var error = Assert.Throws<InvalidOptionException>(() => EvaluationMetrics.Parse(text, hasGroundTruth: false));
        Assert.StartsWith("--metrics: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Only_deletion_and_most_relevant_first_are_better_when_lower()
    {
        var lowerIsBetter = EvaluationMetrics.Figures.Where(f => !EvaluationMetrics.HigherIsBetter(f));
        Assert.Equal([EvaluationMetrics.DeletionFigure, EvaluationMetrics.RoadMostRelevantFigure], lowerIsBetter);
    }

    [Theory]
    [InlineData(-1, 20, "--tolerance")]
    [InlineData(0, 1, "--steps")]
    public void Options_out_of_range_name_their_option(int tolerance, int steps, string option)
    {
        var options = new EvaluationOptions { Tolerance = tolerance, Steps = steps };
        var error = Assert.Throws<InvalidOptionException>(options.Validate);
        Assert.Equal(option, error.Option);
    }
}
