using Gaze.Engine;

namespace Gaze.Tests.Engine;

public sealed class BatchFitTests
{
    private static readonly ResourceLimits Budget = new() { MaxBatchActivationBytes = 10L << 20 };

    [Fact]
    public void A_batch_beyond_the_budget_is_reduced_with_a_warning_naming_the_estimate_and_the_budget()
    {
        BatchFit fit = BatchFit.For(100, () => 1L << 20, Budget);

        Assert.Equal(10, fit.Batch);
        Assert.True(fit.Reduced);
        Assert.Equal("--batch 100 would take about 100 MB of activations, more than the 10 MB budget; using --batch 10", fit.Warning);
    }

    [Fact]
    public void A_batch_within_the_budget_is_kept_without_a_warning()
    {
        BatchFit fit = BatchFit.For(10, () => 1L << 20, Budget);

        Assert.Equal(10, fit.Batch);
        Assert.False(fit.Reduced);
        Assert.Null(fit.Warning);
    }

    [Fact]
    public void A_batch_of_one_needs_no_estimate_and_stays_one_even_beyond_the_budget()
    {
        BatchFit fit = BatchFit.For(1, () => throw new InvalidOperationException("no probe for a batch of one"), Budget);

        Assert.Equal(1, fit.Batch);
        Assert.Null(fit.Warning);
        Assert.Equal(1, BatchFit.For(2, () => 1L << 30, Budget).Batch);
    }
}
