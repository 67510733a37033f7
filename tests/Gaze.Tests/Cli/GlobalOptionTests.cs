using System.Text.Json;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

public class GlobalOptionTests
{
    [Fact]
    public void Version_prints_every_engine_and_exits_zero()
    {
        var result = CliRunner.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("libtorch 2.10", result.Output);
        Assert.Contains("TorchSharp 0.107.0", result.Output);
        Assert.Contains("ONNX Runtime 1.", result.Output);
        Assert.Contains("CPU threads", result.Output);
    }

    [Fact]
    public void Version_as_json_has_every_field()
    {
        var result = CliRunner.Run("--version", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        foreach (string field in new[] { "gaze", "torchsharp", "libtorch", "onnxruntime" })
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty(field).GetString()));
        Assert.True(json.RootElement.GetProperty("threads").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("--threads", "0")]
    [InlineData("--threads", "many")]
    [InlineData("--no-such-option")]
    public void Bad_options_exit_two_with_one_line_naming_the_option(params string[] args)
    {
        var result = CliRunner.Run([.. args, "--version"]);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(args[0], line);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void Help_lists_the_global_options()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string option in new[] { "--threads", "--quiet", "--json", "--verbose", "--version" })
            Assert.Contains(option, result.Output);
    }
}
