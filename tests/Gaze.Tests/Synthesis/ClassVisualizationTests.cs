using System.Text.Json;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Synthesis;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Synthesis;

/// <summary>Class visualisation on the pretrained SqueezeNet: the saved picture must be the class, with high probability.</summary>
public sealed class ClassVisualizationTests
{
    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    [Fact]
    public void The_tarantula_picture_is_a_tarantula_at_90_percent_or_more_when_read_back()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("--json", "visualize", "--model", Model, "--target", "tarantula", "--seed", "0", "--out", dir.Path);
        Assert.Equal(0, run.ExitCode);
        string result = Path.Combine(dir.Path, "result.png");
        using LoadedModel loaded = LoadedModel.Open(Model);
        using var scope = NewDisposeScope();
        ClassScore best = ClassRanking.TopK(loaded.Graph, new ImagePreprocessor(loaded.Input).Preprocess(ImageDecoder.Load(result)), 1)[0][0];
        Assert.Equal(76, best.Index);
        Assert.True(best.Probability >= 0.9, $"p(tarantula) = {best.Probability:F3}");
        using JsonDocument document = JsonDocument.Parse(run.Output);
        Assert.Equal(200, document.RootElement.GetProperty("iterations").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir.Path, "steps.png")));
    }

    [Fact]
    public void A_seed_gives_the_same_picture_and_another_seed_another()
    {
        using LoadedModel loaded = LoadedModel.Open(Model);
        var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
        using var scope = NewDisposeScope();
        var options = new ClassVisualizationOptions { Target = 113, Iterations = 3 };
        using SynthesisResult a = ClassVisualization.Run(network, options);
        using SynthesisResult b = ClassVisualization.Run(network, options);
        using SynthesisResult c = ClassVisualization.Run(network, options with { Seed = 1 });
        Assert.True(a.Input.eq(b.Input).all().item<bool>());
        Assert.False(a.Input.allclose(c.Input));
    }

    [Fact]
    public void Octaves_grow_the_picture()
    {
        using LoadedModel loaded = LoadedModel.Open(Model);
        var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
        using var scope = NewDisposeScope();
        using SynthesisResult result = ClassVisualization.Run(network, new ClassVisualizationOptions { Target = 366, Iterations = 2, Octaves = 2, OctaveScale = 1.5 });
        Assert.Equal(new long[] { 1, 3, 336, 336 }, result.Input.shape);
        Assert.Equal(4, result.Trace.Count);
    }

    [Theory]
    [InlineData("--iterations", "0")]
    [InlineData("--octave-scale", "0.5")]
    [InlineData("--target", "top5")]
    public void A_bad_option_is_exit_2_naming_it_and_nothing_written(string option, string value)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        string[] args = option == "--target"
            ? ["visualize", "--model", Model, "--target", value, "--out", output]
            : ["visualize", "--model", Model, "--target", "76", option, value, "--out", output];
        var run = CliRunner.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.Error);
        Assert.False(Directory.Exists(output));
    }
}
