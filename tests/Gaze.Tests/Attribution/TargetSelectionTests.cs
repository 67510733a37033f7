using Gaze.Attribution;
using Gaze.Errors;
using Gaze.Tests.Support;

namespace Gaze.Tests.Attribution;

/// <summary><c>--target</c>: top1, topK, an index or an ImageNet label.</summary>
public sealed class TargetSelectionTests
{
    private static IReadOnlyList<string> Labels() =>
        File.ReadAllLines(SharedData.Require("models/imagenet-labels.txt"));

    private static readonly float[] Scores = [0.1f, 3f, -2f, 5f, 3f];

    [Fact]
    public void Top_k_takes_the_best_classes_in_order()
    {
        Assert.Equal([3], TargetSelection.Top1.Resolve(Scores));
        Assert.Equal([3, 1, 4], TargetSelection.Parse("top3", null, 5).Resolve(Scores));
        Assert.Equal([3, 1], TargetSelection.Parse(" TOP2 ", null, 5).Resolve(Scores));
    }

    [Fact]
    public void An_index_is_fixed_whatever_the_scores()
    {
        var selection = TargetSelection.Parse("2", null, 5);
        Assert.Equal(2, selection.FixedClass);
        Assert.Equal([2], selection.Resolve(Scores));
    }

    [Theory]
    [InlineData("bull mastiff", 243)]
    [InlineData("Bull Mastiff", 243)]
    [InlineData("tabby", 281)]
    [InlineData("TABBY CAT", 281)]
    [InlineData("tabby, tabby cat", 281)]
    [InlineData("tiger cat", 282)]
    public void Labels_match_whole_or_by_any_of_their_names_ignoring_case(string label, int index)
    {
        Assert.Equal(index, TargetSelection.Parse(label, Labels(), 1000).FixedClass);
    }

    [Fact]
    public void An_ambiguous_label_lists_its_candidates()
    {
        var error = Assert.Throws<InvalidOptionException>(() => TargetSelection.Parse("crane", Labels(), 1000));
        Assert.Equal("--target", error.Option);
        Assert.Contains("ambiguous", error.Message);
        Assert.Contains("134 crane", error.Message);
        Assert.Contains("517 crane", error.Message);
    }

    [Fact]
    public void An_unknown_label_suggests_candidates()
    {
        var error = Assert.Throws<InvalidOptionException>(() => TargetSelection.Parse("tabbby", Labels(), 1000));
        Assert.Contains("unknown label 'tabbby'", error.Message);
        Assert.Contains("281 tabby, tabby cat", error.Message);
        var partial = Assert.Throws<InvalidOptionException>(() => TargetSelection.Parse("mastiff", Labels(), 1000));
        Assert.Contains("243 bull mastiff", partial.Message);
        Assert.Contains("244 Tibetan mastiff", partial.Message);
    }

    [Theory]
    [InlineData("1000", "out of range")]
    [InlineData("-1", "out of range")]
    [InlineData("top0", "between 1")]
    [InlineData("top1001", "between 1")]
    [InlineData("", "empty")]
    [InlineData("dog", "no labels")]
    public void Bad_targets_name_the_option(string text, string problem)
    {
        var error = Assert.Throws<InvalidOptionException>(() => TargetSelection.Parse(text, null, 1000));
        Assert.StartsWith("--target: ", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
