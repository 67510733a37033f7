using System.Text.Json;
using Gaze.Attribution;
using Gaze.Cli;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.IO;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Explaining;

/// <summary>
/// A method written outside the library (<see cref="GradientMagnitude"/>, one file) and added with one registry line
/// shows up in <c>--help</c>, <c>explain</c>, <c>bench</c> and the report, with nothing else changed.
/// </summary>
public sealed class NewMethodTests
{
    /// <summary>The one registry line.</summary>
    private static readonly MethodRegistry Registry = MethodRegistry.Default.With(new GradientMagnitude());

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = new GazeApp(output, error, Registry).Run(args);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");

    [Theory]
    [InlineData("explain")]
    [InlineData("bench")]
    [InlineData("evaluate")]
    public void The_method_and_its_summary_appear_in_help(string command)
    {
        var (exit, output, _) = Run(command, "--help");
        Assert.Equal(0, exit);
        Assert.Contains("gradient-magnitude", output);
        Assert.Contains("max over channels of |dScore/dx|", output);
        Assert.DoesNotContain("gradient-magnitude", CliRunner.Run(command, "--help").Output);
    }

    [Fact]
    public void Explain_writes_its_heatmaps_into_results_and_report()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var (exit, _, error) = Run("explain", CatAndDog, "--model", Model, "--method", "gradcam,gradient-magnitude", "--out", output);
        Assert.True(exit == 0, error);

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        JsonElement explanations = results.RootElement.GetProperty("images")[0].GetProperty("explanations");
        Assert.Equal(["gradcam", "gradient-magnitude"], explanations.EnumerateArray().Select(e => e.GetProperty("method").GetString()));
        JsonElement ours = explanations[1];
        Assert.Equal(243, ours.GetProperty("target").GetInt32());
        Assert.Equal(0, ours.GetProperty("layers").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, ours.GetProperty("raw").ValueKind);

        // A pixel-precise map: full resolution, spanning [0,1], unlike Grad-CAM's 13x13 blocks.
        NpyArray heatmap = NpyFile.Read(Path.Combine(output, ours.GetProperty("heatmap").GetString()!));
        Assert.Equal([224, 224], heatmap.Shape.Select(d => (int)d));
        Assert.Equal(1f, heatmap.Data.Max(), 1e-5f);
        Assert.Equal(0f, heatmap.Data.Min(), 1e-5f);
        Assert.True(heatmap.Data.Distinct().Count() > 10_000, "an input-gradient map varies pixel by pixel");

        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("gradient-magnitude", report);
        Assert.Contains(ours.GetProperty("overlay").GetString()!.Split('/')[^1].Replace("-overlay.png", ""), report);
    }

    [Fact]
    public void Bench_times_it_against_the_forward_and_backward_passes()
    {
        var (exit, output, error) = Run("--json", "bench", "--model", Model, "--method", "gradient-magnitude", "--iterations", "1");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("gradient-magnitude", json.RootElement.GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("layer").ValueKind);
        Assert.True(json.RootElement.GetProperty("method_ms").GetProperty("median").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--layer", "fire9/concat_1")]
    [InlineData("--eigen-smooth", null)]
    public void An_option_the_method_does_not_take_is_an_error_naming_both(string option, string? value)
    {
        string[] args = ["explain", CatAndDog, "--model", Model, "--method", "gradient-magnitude", option];
        var (exit, _, error) = Run(value is null ? args : [.. args, value]);
        Assert.Equal(2, exit);
        Assert.Equal($"gaze: {option}: does not apply to gradient-magnitude", error.Trim());
    }

    [Fact]
    public void Its_explanation_is_the_input_gradient_of_the_target_score()
    {
        using var model = LoadedModel.Open(Model);
        using var scope = NewDisposeScope();
        Tensor input = new ImagePreprocessor(model.Input).Preprocess(ImageDecoder.Load(CatAndDog));
        using var explainer = new Explainer(model.Graph, []);
        using Explanation explanation = explainer.Explain(Registry.Get("gradient-magnitude"), input, TargetRequest.Ranked(1));

        // Rank 1 of the explanation's own scores is the second-best class (boxer), and the scores are the model's.
        Assert.Equal([242], explanation.Targets);
        Assert.True(allclose(explanation.Scores, model.Graph.Scores(input), rtol: 1e-4, atol: 1e-4));

        // The attribution is the gradient a plain backward pass gives.
        using GraphRun run = model.Graph.Run(input, new RunOptions { InputGradient = true });
        Tensor expected = Gradients.Of(run.Scores[0, 242], run.Inputs[0]);
        Assert.True(allclose(explanation.Attributions!, expected, rtol: 1e-4, atol: 1e-6));
    }
}
