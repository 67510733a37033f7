using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary>A misspelt option is reported as an unknown option with the nearest valid one, not as a missing file.</summary>
public sealed class UnknownOptionTests
{
    [Theory]
    [InlineData("explain", "--methd", "--method")]
    [InlineData("predict", "--tpo", "--top")]
    public void A_misspelt_option_after_the_files_is_named_with_the_nearest_one(string command, string typo, string meant)
    {
        using var dir = new TempDirectory();
        string image = SharedData.Require("images/cat-and-dog.png");
        string model = SharedData.Require("models/mnist-cntk.onnx");

        var result = CliRunner.Run(command, image, "--model", model, typo, "3");

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"unknown option '{typo}' for '{command}'; did you mean '{meant}'?", line);
        Assert.DoesNotContain("no such file", line);
    }

    [Fact]
    public void A_file_whose_name_starts_with_a_dash_is_still_a_file()
    {
        using var dir = new TempDirectory();
        string image = dir.File("-dash.png");
        File.Copy(SharedData.Require("images/cat-and-dog.png"), image);

        var result = CliRunner.Run("predict", "--model", SharedData.Require("models/mnist-cntk.onnx"), "--json", "--", image);

        Assert.True(result.ExitCode == 0, result.Error);
    }
}
