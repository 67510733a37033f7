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
        Assert.Equal(4096L * 4096, limits.MaxOutputPixels);
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

    [Theory]
    [InlineData(640, 480)]
    [InlineData(4096, 4096)]
    [InlineData(1, 100000)]
    public void An_image_within_the_output_limit_keeps_its_size(int width, int height) =>
        Assert.Equal((width, height), ResourceLimits.Default.OutputSize(width, height));

    [Theory]
    [InlineData(6500, 6000)]
    [InlineData(4097, 4096)]
    [InlineData(20000, 2000)]
    [InlineData(100000, 300)]
    public void A_larger_image_is_written_within_the_limit_with_its_aspect_ratio(int width, int height)
    {
        var (w, h) = ResourceLimits.Default.OutputSize(width, height);
        Assert.True((long)w * h <= ResourceLimits.DefaultMaxOutputPixels, $"{w}x{h}");
        Assert.True((long)w * h > ResourceLimits.DefaultMaxOutputPixels * 0.99, $"{w}x{h} wastes the limit");
        Assert.Equal((double)width / height, (double)w / h, 0.01 * width / height);
    }
}
