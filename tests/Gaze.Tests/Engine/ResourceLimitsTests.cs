using Gaze.Engine;

namespace Gaze.Tests.Engine;

public sealed class ResourceLimitsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var limits = ResourceLimits.Default;
        Assert.Equal(40_000_000, limits.MaxImagePixels);
        Assert.Equal(512L << 20, limits.MaxFileBytes);
        Assert.Equal(2L << 30, limits.MaxBatchActivationBytes);
        Assert.Equal(Environment.ProcessorCount, limits.MaxThreads);
        Assert.Equal(4096, ResourceLimits.MaxInputSide);
    }

    [Theory]
    [InlineData(1, 100, 1)]
    [InlineData(8, 100, 8)]
    [InlineData(100000, 100, 10)]
    [InlineData(100000, 5000, 1)]
    [InlineData(4, 0, 4)]
    public void A_batch_is_reduced_to_what_fits_the_budget_and_never_below_one(int requested, long bytesPerImage, int expected) =>
        Assert.Equal(expected, new ResourceLimits { MaxBatchActivationBytes = 1000 }.BatchFor(requested, bytesPerImage));

    [Fact]
    public void Threads_are_capped_at_the_limit() =>
        Assert.Equal(3, new ResourceLimits { MaxThreads = 3 }.ThreadsFor(1000));
}
