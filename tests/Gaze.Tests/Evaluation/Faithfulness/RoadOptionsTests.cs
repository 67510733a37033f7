using Gaze.Evaluation.Faithfulness;
using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>ROAD's options: the noise carried to a model's tensor units, and the percentages it accepts.</summary>
public sealed class RoadOptionsTests
{
    [Fact]
    public void The_noise_is_the_same_fraction_of_the_pixel_range_for_every_preprocessing()
    {
        var imagenet = ModelInput.Default with { Range = 1, Mean = [0.485, 0.456, 0.406], Std = [0.229, 0.224, 0.225] };
        var caffe = ModelInput.Default with { Range = 255, Mean = [104, 117, 123], Std = [1] };
        var imagenet255 = ModelInput.Default with { Range = 255, Mean = [123.7, 116.3, 103.5], Std = [58.4, 57.1, 57.4] };

        Assert.Equal(0.01, Road.NoiseFor(imagenet), 4);
        Assert.Equal(0.01 * 0.226 * 255, Road.NoiseFor(caffe), 6);
        Assert.Equal(0.01, Road.NoiseFor(imagenet255), 3);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    public void Percentages_outside_zero_to_one_hundred_are_rejected(double percentage)
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        Assert.Throws<ArgumentOutOfRangeException>(() => Road.Evaluate(scorer.Scores, ones(1, 1, 4, 4), zeros(4, 4), 0, [50, percentage]));
        Assert.Empty(scorer.Batches);
    }

    [Fact]
    public void A_percentage_that_rounds_to_every_pixel_is_rejected()
    {
        using var scope = NewDisposeScope();
        var scorer = new HandMadeScorer(40);
        // 99% of 4 pixels rounds to all 4: nothing would be left to impute from.
        Assert.Throws<ArgumentException>(() => Road.Evaluate(scorer.Scores, ones(1, 1, 2, 2), zeros(2, 2), 0, [99]));
        Assert.Throws<ArgumentException>(() => Road.Evaluate(scorer.Scores, ones(1, 1, 2, 2), zeros(2, 2), 0, []));
    }
}
