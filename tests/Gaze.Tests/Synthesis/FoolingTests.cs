using System.Text.Json;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Synthesis;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Synthesis;

/// <summary>
/// Fooling images on the pretrained SqueezeNet and the shared photos: the saved PNG, read back as any input is, must be
/// classified as the target; the bounded attacks must move the prediction away from the true class.
/// </summary>
public sealed class FoolingTests
{
    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    private static IReadOnlyList<ClassScore> Predict(string model, string image)
    {
        using LoadedModel loaded = LoadedModel.Open(model);
        using var scope = NewDisposeScope();
        return ClassRanking.TopK(loaded.Graph, new ImagePreprocessor(loaded.Input).Preprocess(ImageDecoder.Load(image)), 1000)[0];
    }

    [Fact]
    public void The_stop_waits_for_the_saved_picture_when_the_float_image_fools_first()
    {
        // On this photo and target the unquantised input is taken for a snail one step before its 8-bit picture is.
        using var dir = new TempDirectory();
        string image = SharedData.Require("images/cat-and-dog.png");
        var run = CliRunner.Run("--json", "fool", image, "--model", Model, "--target", "113", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        Assert.True(root.GetProperty("fooled").GetBoolean());
        int iterations = root.GetProperty("iterations").GetInt32(), floatFooledAt = root.GetProperty("float_fooled_at").GetInt32();
        Assert.True(floatFooledAt < iterations, $"the float image fooled at step {floatFooledAt}, the saved one at {iterations}");
        Assert.Equal(113, Predict(Model, Path.Combine(dir.Path, "result.png"))[0].Index);
        Assert.Equal(113, root.GetProperty("prediction")[0].GetProperty("index").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir.Path, "difference.png")) && File.Exists(Path.Combine(dir.Path, "trace.png")));
    }

    [Fact]
    public void The_fooling_picture_keeps_the_original_size_and_fools_there()
    {
        using var dir = new TempDirectory();
        string image = SharedData.Require("images/puppy-and-kitten.jfif");
        var run = CliRunner.Run("-q", "fool", image, "--model", Model, "--target", "366", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        string result = Path.Combine(dir.Path, "result.png");
        RgbImage picture = ImageDecoder.Load(result);
        Assert.Equal((284, 177), (picture.Width, picture.Height));
        Assert.Equal(366, Predict(Model, result)[0].Index);
    }

    [Fact]
    public void Too_few_iterations_is_exit_3_with_one_line_and_the_unfooled_result_kept()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("--json", "fool", SharedData.Require("images/cat-and-dog.png"), "--model", Model, "--target", "1", "--max-iterations", "2", "--out", dir.Path);
        Assert.Equal(3, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Contains("not fooled", run.Error);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        Assert.False(document.RootElement.GetProperty("fooled").GetBoolean());
        Assert.Equal(2, document.RootElement.GetProperty("iterations").GetInt32());
    }

    [Theory]
    [InlineData("images/cat-and-dog.png")]
    [InlineData("images/puppy-and-kitten.jfif")]
    public void Fgsm_with_epsilon_8_lowers_the_true_class_probability(string photo)
    {
        string image = SharedData.Require(photo);
        ClassScore before = Predict(Model, image)[0];
        using LoadedModel loaded = LoadedModel.Open(Model);
        var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
        FoolingResult result = FoolingImage.Run(network, ImageDecoder.Load(image), new FoolingOptions { Attack = FoolingAttack.Fgsm, Epsilon = 8 });
        using var dir = new TempDirectory();
        string saved = dir.File("fgsm.png");
        ImageEncoder.Write(saved, result.Image);
        float after = Predict(Model, saved).Single(c => c.Index == before.Index).Probability;
        Assert.True(after < before.Probability, $"p(true class) {before.Probability:F4} -> {after:F4}");
        Assert.True(result.Distortion.LInfinity <= 8, $"L-infinity {result.Distortion.LInfinity} within the budget of 8 levels");
    }

    [Fact]
    public void Pgd_starts_at_a_seeded_point_of_its_box_and_stays_in_it()
    {
        using LoadedModel loaded = LoadedModel.Open(Model);
        var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
        RgbImage original = ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png"));
        var options = new FoolingOptions { Attack = FoolingAttack.Pgd, Epsilon = 4, Step = 1, Iterations = 3 };
        FoolingResult a = FoolingImage.Run(network, original, options);
        FoolingResult b = FoolingImage.Run(network, original, options);
        FoolingResult c = FoolingImage.Run(network, original, options with { Seed = 1 });
        Assert.Equal(a.Image.Pixels, b.Image.Pixels);
        Assert.NotEqual(a.Image.Pixels, c.Image.Pixels);
        Assert.All(new[] { a, c }, r => Assert.InRange(r.Distortion.LInfinity, 1, 4));
    }

    [Theory]
    [InlineData("--target 1 --max-iterations 0", "--max-iterations")]
    [InlineData("--target tarantulas", "--target")]
    [InlineData("--target 1000", "--target")]
    [InlineData("--target 1 --attack magic", "--attack")]
    [InlineData("--target 1 --attack fgsm --epsilon 0", "--epsilon")]
    [InlineData("", "--target")]
    public void A_bad_option_is_one_line_naming_it_exit_2_and_nothing_written(string options, string named)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        string[] args = ["fool", SharedData.Require("images/cat-and-dog.png"), "--model", Model, "--out", output,
            .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var run = CliRunner.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Contains(named, run.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_missing_image_is_one_line_naming_it_exit_2_and_nothing_written()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var run = CliRunner.Run("fool", dir.File("absent.png"), "--model", Model, "--target", "1", "--out", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("absent.png", run.Error);
        Assert.False(Directory.Exists(output));
    }
}
