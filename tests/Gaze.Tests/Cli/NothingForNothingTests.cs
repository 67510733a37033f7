using System.Text.Json;
using Gaze.Imaging;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary>
/// A run that could explain no image leaves no output behind, and a model whose numbers are not finite for an image
/// is reported for that image instead of aborting the run or the JSON writer.
/// </summary>
public sealed class NothingForNothingTests
{
    [Fact]
    public void Explain_on_one_truncated_image_exits_two_and_removes_the_output_folder()
    {
        using var dir = new TempDirectory();
        string bad = dir.File("truncated.png");
        File.WriteAllBytes(bad, File.ReadAllBytes(RepositoryFiles.Require("assets/samples/circle.png"))[..40]);
        string output = dir.File("out");

        var result = CliRunner.Run("explain", bad, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("truncated.png", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Explain_into_an_existing_empty_folder_that_fails_leaves_it_empty()
    {
        using var dir = new TempDirectory();
        string bad = dir.File("bad.png");
        File.WriteAllText(bad, "not an image");
        string output = dir.File("mine");
        Directory.CreateDirectory(output);

        var result = CliRunner.Run("explain", bad, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.True(Directory.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void A_model_with_a_nan_weight_is_reported_per_image_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        string model = NanModel(dir, nanWeight: true);
        string image = WriteImage(dir, "white.png", 255);
        string output = dir.File("out");

        var result = CliRunner.Run("explain", image, "--model", model, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model output is not finite for", result.Error);
        Assert.Contains("white.png", result.Error);
        Assert.DoesNotContain("[0, 1]", result.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Explain_reports_the_image_with_non_finite_scores_and_explains_the_other()
    {
        using var dir = new TempDirectory();
        // The scores add sqrt(mean of the input): NaN for a dark image (negative after normalisation), finite for a light one.
        string model = NanModel(dir, nanWeight: false);
        string light = WriteImage(dir, "light.png", 255);
        string dark = WriteImage(dir, "dark.png", 0);
        string output = dir.File("out");

        var result = CliRunner.Run("explain", light, dark, "--model", model, "--out", output);

        Assert.True(result.ExitCode == 4, result.Error);
        Assert.Contains("model output is not finite for", result.Error);
        Assert.Contains("dark.png", result.Error);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var images = document.RootElement.GetProperty("images");
        Assert.Equal(1, images[0].GetProperty("explanations").GetArrayLength());
        Assert.Contains("not finite", images[1].GetProperty("error").GetString());
        Assert.True(document.RootElement.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void Predict_json_reports_non_finite_scores_as_an_error_instead_of_crashing()
    {
        using var dir = new TempDirectory();
        string model = NanModel(dir, nanWeight: true);
        string image = WriteImage(dir, "white.png", 255);

        var result = CliRunner.Run("predict", image, "--model", model, "--json");

        Assert.True(result.ExitCode == 2, result.Error);
        Assert.Contains("model output is not finite for", result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("model output is not finite", json.RootElement.GetProperty("images")[0].GetProperty("error").GetString());
    }

    /// <summary>
    /// x [1,3,8,8] -> Conv (2 channels) -> Relu -> global average -> Gemm [2 classes] + sqrt(mean(x)); with
    /// <paramref name="nanWeight"/> one convolution weight is NaN.
    /// </summary>
    private static string NanModel(TempDirectory dir, bool nanWeight)
    {
        float[] conv = Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => (i % 5 - 2) * 0.1f).ToArray();
        if (nanWeight) conv[4] = float.NaN;
        return new TestModelBuilder()
            .Input("x", 1, 3, 8, 8)
            .Initializer("w", conv, 2, 3, 3, 3)
            .Initializer("g", new float[] { 1, -1, 0.5f, 2 }, 2, 2)
            .Node("Conv", ["x", "w"], ["c"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c"], ["a"])
            .Node("GlobalAveragePool", ["a"], ["p"]).Node("Flatten", ["p"], ["f"])
            .Node("Gemm", ["f", "g"], ["logits"], ("transB", 1L))
            .Node("ReduceMean", ["x"], ["m"], ("axes", new long[] { 1, 2, 3 }), ("keepdims", 1L))
            .Node("Sqrt", ["m"], ["s"]).Node("Flatten", ["s"], ["s2"])
            .Node("Add", ["logits", "s2"], ["scores"])
            .Output("scores").Save(dir.File(nanWeight ? "nan.onnx" : "sqrt.onnx"));
    }

    private static string WriteImage(TempDirectory dir, string name, byte value)
    {
        string path = dir.File(name);
        var pixels = new byte[16 * 16 * 3];
        Array.Fill(pixels, value);
        ImageEncoder.Write(path, new RgbImage(16, 16, pixels));
        return path;
    }
}
