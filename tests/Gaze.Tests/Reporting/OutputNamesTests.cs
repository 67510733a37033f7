using Gaze.Reporting;

namespace Gaze.Tests.Reporting;

public class OutputNamesTests
{
    [Theory]
    [InlineData("cat", "cat")]
    [InlineData("gradcam++-243", "gradcam++-243")]
    [InlineData("a<b>&\"c d", "a_b___c_d")]
    [InlineData("../up", "_up")]
    [InlineData(".hidden", "hidden")]
    [InlineData("...", "image")]
    [InlineData("", "image")]
    [InlineData("CON", "_CON")]
    [InlineData("nul.tar", "_nul.tar")]
    [InlineData("results.json", "_results.json")]
    [InlineData("Katze_猫", "Katze_猫")]
    [InlineData("tab\there", "tab_here")]
    public void Safe_keeps_letters_digits_and_a_few_marks(string text, string expected) =>
        Assert.Equal(expected, OutputNames.Safe(text));

    [Fact]
    public void Safe_cuts_long_names()
    {
        Assert.Equal(new string('x', OutputNames.MaxSegmentLength), OutputNames.Safe(new string('x', 500)));
    }

    [Fact]
    public void Claim_numbers_repeats_case_insensitively_in_order()
    {
        var names = new OutputNames();
        Assert.Equal(["cat", "Cat-2", "cat-3", "cat-2-2", "dog"],
            new[] { "cat", "Cat", "cat", "cat-2", "dog" }.Select(names.Claim));
    }

    [Fact]
    public void Relative_paths_use_forward_slashes()
    {
        string root = Path.Combine(Path.GetTempPath(), "gaze-out", "run");
        Assert.Equal("../../images/a.png", OutputNames.Relative(root, Path.Combine(Path.GetTempPath(), "images", "a.png")));
        Assert.Equal("cat/x.png", OutputNames.Relative(root, Path.Combine(root, "cat", "x.png")));
    }
}
