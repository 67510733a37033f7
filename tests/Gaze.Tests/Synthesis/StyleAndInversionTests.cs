using System.Text.Json;
using Gaze.Imaging;
using Gaze.Tests.Support;

namespace Gaze.Tests.Synthesis;

/// <summary>Feature inversion, style transfer and DeepDream on the pretrained SqueezeNet, through the commands.</summary>
public sealed class StyleAndInversionTests
{
    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    private static double[] Gray(RgbImage image) =>
        Enumerable.Range(0, image.Width * image.Height).Select(p => 0.299 * image.Pixels[3 * p] + 0.587 * image.Pixels[3 * p + 1] + 0.114 * image.Pixels[3 * p + 2]).ToArray();

    [Fact]
    public void Inverting_fire2_rebuilds_the_features_within_10_percent_and_the_picture_at_gray_pearson_08()
    {
        using var dir = new TempDirectory();
        string image = SharedData.Require("images/cat-and-dog.png");
        var run = CliRunner.Run("--json", "invert", image, "--model", Model, "--layer", "fire2/concat_1", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        double error = document.RootElement.GetProperty("relative_feature_error").GetDouble();
        Assert.True(error <= 0.10, $"relative feature error {error:P1}");
        double pearson = Gaze.Evaluation.Sanity.PearsonCorrelation.Of(Gray(ImageDecoder.Load(Path.Combine(dir.Path, "result.png"))), Gray(ImageDecoder.Load(image)));
        Assert.True(pearson >= 0.8, $"gray-level Pearson {pearson:F3}");
    }

    [Fact]
    public void Style_transfer_lowers_the_loss_by_90_percent_and_keeps_more_content_than_the_style_picture()
    {
        using var dir = new TempDirectory();
        // A style picture Gaze makes itself: the tarantula visualisation.
        string styleDir = Path.Combine(dir.Path, "style");
        Assert.Equal(0, CliRunner.Run("-q", "visualize", "--model", Model, "--target", "76", "--out", styleDir).ExitCode);
        string output = Path.Combine(dir.Path, "styled");
        var run = CliRunner.Run("--json", "style", SharedData.Require("images/cat-and-dog.png"), Path.Combine(styleDir, "result.png"), "--model", Model, "--out", output);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        double first = root.GetProperty("first_loss").GetDouble();
        double final = root.GetProperty("final_loss").GetProperty("total").GetDouble();
        Assert.True(final <= 0.1 * first, $"loss {first:G4} -> {final:G4}");
        double content = root.GetProperty("final_loss").GetProperty("content").GetDouble();
        double styleContent = root.GetProperty("style_image_loss").GetProperty("content").GetDouble();
        Assert.True(content < styleContent, $"content loss {content:G4} against the style picture's {styleContent:G4}");
        Assert.Equal(new[] { 192, 192 }, new[] { ImageDecoder.Load(Path.Combine(output, "result.png")).Width, ImageDecoder.Load(Path.Combine(output, "result.png")).Height });
    }

    [Fact]
    public void Lbfgs_lowers_the_style_loss_too()
    {
        using var dir = new TempDirectory();
        string image = SharedData.Require("images/cat-and-dog.png");
        var run = CliRunner.Run("--json", "style", image, SharedData.Require("images/puppy-and-kitten.jfif"), "--model", Model,
            "--optimizer", "lbfgs", "--iterations", "30", "--size", "96", "--style-size", "96", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("Warning", run.Error);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        double first = document.RootElement.GetProperty("first_loss").GetDouble();
        double final = document.RootElement.GetProperty("final_loss").GetProperty("total").GetDouble();
        Assert.True(final < 0.5 * first, $"loss {first:G4} -> {final:G4}");
    }

    [Fact]
    public void Ctrl_c_during_an_optimisation_exits_130_and_leaves_no_output_folder()
    {
        using var dir = new TempDirectory();
        string output = dir.File("styled");
        using var run = SignalledCli.Start("style", SharedData.Require("images/cat-and-dog.png"), SharedData.Require("images/puppy-and-kitten.jfif"),
            "--model", Model, "--iterations", "100000", "--out", output);
        run.WaitUntil(() => run.EngineLoaded, "the engine was loaded");
        Thread.Sleep(1500);
        run.Signal(System.Runtime.InteropServices.PosixSignal.SIGINT);
        var (exit, _, error) = run.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.False(Directory.Exists(output), "no partial result");
    }

    [Fact]
    public void Dreaming_raises_the_layers_mean_squared_activation()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("--json", "dream", SharedData.Require("images/cat-and-dog.png"), "--model", Model, "--layer", "fire5/concat_1", "--iterations", "5", "--octaves", "2", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        double[] trace = document.RootElement.GetProperty("trace").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(10, trace.Length);
        Assert.True(trace[^1] > 1.5 * trace[0], $"mean activation² {trace[0]:G4} -> {trace[^1]:G4}");
    }

    [Theory]
    [InlineData("invert IMAGE --layer no/such/layer", "no/such/layer")]
    [InlineData("invert IMAGE --layer fire2/concat_1 --iterations 0", "--iterations")]
    [InlineData("style IMAGE IMAGE --style-layers pool10_1", "pool10_1")]
    [InlineData("style IMAGE IMAGE --style-weights 1,2", "--style-weights")]
    [InlineData("dream IMAGE --layer fire5/concat_1 --octaves 0", "--octaves")]
    [InlineData("dream MISSING --layer fire5/concat_1", "missing.png")]
    public void A_bad_input_is_one_line_naming_it_exit_2_and_nothing_written(string command, string named)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        string image = SharedData.Require("images/cat-and-dog.png");
        string[] args = [.. command.Split(' ').Select(a => a == "IMAGE" ? image : a == "MISSING" ? dir.File("missing.png") : a), "--model", Model, "--out", output];
        var run = CliRunner.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Contains(named, run.Error);
        Assert.False(Directory.Exists(output));
    }
}
