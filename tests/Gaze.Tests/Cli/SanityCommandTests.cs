using System.Text.Json;
using System.Text.Json.Nodes;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary><c>gaze sanity</c> end to end on the built-in shapes CNN: the files, the JSON document and bad input.</summary>
public sealed class SanityCommandTests
{
    [Fact]
    public void Writes_results_and_a_plot_per_method_and_prints_the_json_document()
    {
        using var dir = new TempDirectory();
        string samples = dir.File("samples");
        Assert.Equal(0, CliRunner.Run("shapes", "--count", "2", "--seed", "3", "--out", samples).ExitCode);
        string[] images = Directory.GetFiles(samples, "*.png", SearchOption.AllDirectories).Where(f => !f.Contains("masks")).ToArray();
        string output = dir.File("out");

        var result = CliRunner.Run(["sanity", .. images, "--method", "gradcam", "--seed", "4", "--out", output, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var printed = JsonDocument.Parse(result.Output);
        JsonElement method = Assert.Single(printed.RootElement.GetProperty("methods").EnumerateArray());
        Assert.Equal("gradcam", method.GetProperty("method").GetString());
        Assert.Contains(method.GetProperty("verdict").GetString(), new[] { "pass", "fail" });
        JsonElement[] cascade = method.GetProperty("cascade").EnumerateArray().ToArray();
        Assert.Equal(5, cascade.Length);
        Assert.Equal(5, method.GetProperty("independent").GetArrayLength());
        Assert.Equal("logits", cascade[0].GetProperty("layer").GetString());
        foreach (string field in new[] { "spearman", "spearman_abs", "ssim", "hog" })
            Assert.InRange(cascade[0].GetProperty(field).GetDouble(), -1, 1);

        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "sanity.json")));
        Assert.Equal(4, saved.RootElement.GetProperty("seed").GetInt32());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(method.GetRawText()), JsonNode.Parse(saved.RootElement.GetProperty("methods")[0].GetRawText())));
        byte[] png = File.ReadAllBytes(Path.Combine(output, "sanity-gradcam.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
    }

    [Theory]
    [InlineData(new[] { "sanity", "no-such-image.png" }, "no-such-image.png")]
    [InlineData(new[] { "sanity", "IMAGE", "--method", "gradcam,nonsense" }, "nonsense")]
    [InlineData(new[] { "sanity", "IMAGE", "--seed", "abc" }, "--seed")]
    [InlineData(new[] { "sanity", "IMAGE", "--method", "guided-backprop", "--layer", "features" }, "--layer")]
    [InlineData(new[] { "sanity", "IMAGE", "--layer", "no-such-layer" }, "no-such-layer")]
    public void Bad_input_gives_one_line_and_exit_2(string[] args, string named)
    {
        using var dir = new TempDirectory();
        string image = dir.File("one.png");
        File.WriteAllBytes(image, File.ReadAllBytes(Directory.GetFiles(RepositoryFiles.Require("assets/samples"), "*.png", SearchOption.AllDirectories)[0]));
        var result = CliRunner.Run(args.Select(a => a == "IMAGE" ? image : a).ToArray());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
