using Gaze.Evaluation.Faithfulness;
using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>
/// Deletion and insertion (Petsiuk et al., BMVC 2018) on hand-made curves and a hand-made scorer whose target
/// probability is the image's sum over a constant, so every point of the curve is known exactly.
/// </summary>
public sealed class FaithfulnessCurveTests
{
    // Two channels of the values 4 3 / 2 1: the sum is 20, and the scorer's total 40 makes the clean probability 1/2.
    private static Tensor Input() => tensor(new float[] { 4, 3, 2, 1, 4, 3, 2, 1 }, [1, 2, 2, 2]);

    private static Tensor Relevance(params float[] values) => tensor(values, [2, 2]);

    [Fact]
    public void The_trapezoid_area_of_a_linear_fall_from_one_to_zero_is_one_half()
    {
        double[] fractions = Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();
        Assert.Equal(0.5, FaithfulnessCurve.TrapezoidArea(fractions, fractions.Select(f => 1 - f).ToArray()), 12);
        Assert.Equal(1.0, FaithfulnessCurve.TrapezoidArea([0, 1], [1, 1]), 12);
        // A step at 0.25 drawn with points at 0, 0.25, 0.5 and 1: 0.25 · (1 + 0) / 2.
        Assert.Equal(0.125, FaithfulnessCurve.Of([0, 0.25, 0.5, 1], [1, 0, 0, 0]).Auc, 12);
        // Unevenly spaced points: 0.1 · (1 + 0.5) / 2 + 0.9 · (0.5 + 0.5) / 2.
        Assert.Equal(0.525, FaithfulnessCurve.TrapezoidArea([0, 0.1, 1], [1, 0.5, 0.5]), 12);
    }

    [Fact]
    public void The_trapezoid_area_rejects_mismatched_or_falling_fractions()
    {
        Assert.Throws<ArgumentException>(() => FaithfulnessCurve.TrapezoidArea([0, 1], [1]));
        Assert.Throws<ArgumentException>(() => FaithfulnessCurve.TrapezoidArea([0], [1]));
        Assert.Throws<ArgumentException>(() => FaithfulnessCurve.TrapezoidArea([0, 0.6, 0.5, 1], [1, 1, 1, 1]));
    }

    [Fact]
    public void Deletion_with_a_hand_made_scorer_gives_the_exact_normalised_probabilities()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        FaithfulnessCurve curve = DeletionInsertion.Deletion(scorer.Scores, Input(), Relevance(4, 3, 2, 1), 0, zeros(1, 2, 2, 2), steps: 4);

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], curve.Fractions);
        // The sums after removing 4, 3, 2 and 1 in turn: 20, 12, 6, 2, 0, over the clean 20.
        AssertValues([1, 0.6, 0.3, 0.1, 0], curve.Values);
        Assert.Equal(0.25 * (0.5 + 0.6 + 0.3 + 0.1), curve.Auc, 9);
    }

    [Fact]
    public void Insertion_with_a_hand_made_scorer_gives_the_exact_normalised_probabilities()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        FaithfulnessCurve curve = DeletionInsertion.Insertion(scorer.Scores, Input(), Relevance(4, 3, 2, 1), 0, zeros(1, 2, 2, 2), steps: 4);

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], curve.Fractions);
        AssertValues([0, 0.4, 0.7, 0.9, 1], curve.Values);
        Assert.Equal(0.25 * (0.5 + 0.4 + 0.7 + 0.9), curve.Auc, 9);
    }

    [Fact]
    public void Deletion_replaces_every_channel_of_a_removed_pixel_by_the_baselines()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        Tensor baseline = full(1, 2, 2, 2, 0.5f);
        // The most relevant pixel is the bottom-right one (value 1), then the top-left (value 4).
        FaithfulnessCurve curve = DeletionInsertion.Deletion(scorer.Scores, Input(), Relevance(2, 0, -1, 5), 0, baseline, steps: 4);

        Tensor second = Assert.Single(scorer.Batches)[2];
        Tensor expected = tensor(new float[] { 0.5f, 3, 2, 0.5f, 0.5f, 3, 2, 0.5f }, [2, 2, 2]);
        Assert.True(second.eq(expected).all().item<bool>(), string.Join(" ", second.data<float>().ToArray()));
        // Sums 20, 19, 12, 7, 4 over 20.
        AssertValues([1, 0.95, 0.6, 0.35, 0.2], curve.Values);
    }

    [Fact]
    public void Ties_in_the_heatmap_are_taken_in_raster_order()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        Tensor input = tensor(new float[] { 1, 2, 3, 4, 1, 2, 3, 4 }, [1, 2, 2, 2]);
        FaithfulnessCurve curve = DeletionInsertion.Deletion(scorer.Scores, input, Relevance(7, 7, 7, 7), 0, zeros(1, 2, 2, 2), steps: 4);

        // Removed 1, 2, 3, 4 in turn: sums 20, 18, 14, 8, 0.
        AssertValues([1, 0.9, 0.7, 0.4, 0], curve.Values);
    }

    [Fact]
    public void A_step_count_that_does_not_divide_the_pixels_rounds_each_steps_count_half_up()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        FaithfulnessCurve thirds = DeletionInsertion.Deletion(scorer.Scores, Input(), Relevance(4, 3, 2, 1), 0, zeros(1, 2, 2, 2), steps: 3);
        // round(4/3) = 1 and round(8/3) = 3 pixels.
        Assert.Equal([0, 0.25, 0.75, 1], thirds.Fractions);
        AssertValues([1, 0.6, 0.1, 0], thirds.Values);

        FaithfulnessCurve eighths = DeletionInsertion.Deletion(scorer.Scores, Input(), Relevance(4, 3, 2, 1), 0, zeros(1, 2, 2, 2), steps: 8);
        // k · 4 / 8 = 0, 0.5, 1, 1.5, ... pixels, halves rounded up.
        Assert.Equal([0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1], eighths.Fractions);
    }

    [Fact]
    public void The_batch_size_changes_the_number_of_forward_passes_and_not_the_curve()
    {
        using var scope = NewDisposeScope();
        var one = new HandMadeScorer(40);
        var three = new HandMadeScorer(40);
        FaithfulnessCurve a = DeletionInsertion.Insertion(one.Scores, Input(), Relevance(1, 4, 2, 3), 0, zeros(1, 2, 2, 2), steps: 4, batchSize: 1);
        FaithfulnessCurve b = DeletionInsertion.Insertion(three.Scores, Input(), Relevance(1, 4, 2, 3), 0, zeros(1, 2, 2, 2), steps: 4, batchSize: 3);

        Assert.Equal(5, one.Batches.Count);
        Assert.Equal([3L, 2L], three.Batches.Select(batch => batch.shape[0]));
        Assert.Equal(a.Values, b.Values);
        // Inserted 3, 1, 2, 4 in turn: sums 0, 6, 8, 12, 20.
        AssertValues([0, 0.3, 0.4, 0.6, 1], b.Values);
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_rejected_before_any_forward_pass()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        Assert.Throws<ArgumentException>(() => DeletionInsertion.Deletion(scorer.Scores, Input(), zeros(3, 2), 0, zeros(1, 2, 2, 2)));
        Assert.Throws<ArgumentException>(() => DeletionInsertion.Deletion(scorer.Scores, Input(), zeros(2, 2), 0, zeros(1, 3, 2, 2)));
        Assert.Throws<ArgumentException>(() => DeletionInsertion.Insertion(scorer.Scores, zeros(2, 2, 2, 2), zeros(2, 2), 0, zeros(2, 2, 2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeletionInsertion.Insertion(scorer.Scores, Input(), zeros(2, 2), 0, zeros(1, 2, 2, 2), steps: 0));
        Assert.Empty(scorer.Batches);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeletionInsertion.Insertion(scorer.Scores, Input(), zeros(2, 2), 2, zeros(1, 2, 2, 2)));
    }

    [Fact]
    public void Confidence_change_is_the_probability_of_the_input_times_the_heatmap_minus_the_inputs()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        double change = ConfidenceChange.Of(scorer.Scores, Input(), Relevance(1, 0.5f, 0, 0.25f), 0);

        // Each channel becomes 4 + 1.5 + 0 + 0.25 = 5.75: p = 11.5 / 40 against the clean 20 / 40.
        Assert.Equal(11.5 / 40 - 0.5, change, 9);
        Tensor weighted = Assert.Single(scorer.Batches)[1];
        Assert.True(weighted.eq(tensor(new float[] { 4, 1.5f, 0, 0.25f, 4, 1.5f, 0, 0.25f }, [2, 2, 2])).all().item<bool>());
    }

    private static void AssertValues(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"point {i}: expected {expected[i]}, got {actual[i]}");
    }
}
