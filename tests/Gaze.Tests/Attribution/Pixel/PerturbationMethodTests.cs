using System.Text.Json;
using Gaze.Attribution;
using Gaze.Attribution.Pixel;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// Occlusion and RISE on a network that reads only one quadrant of its input, where the answer is known: the score
/// is a linear function of that quadrant's mean colour, and nothing else moves it.
/// </summary>
public sealed class PerturbationMethodTests
{
    private const int Side = 32;
    private const int Half = Side / 2;

    /// <summary>The ImageNet convention at the network's size: black is (0 - mean) / std, below every other pixel.</summary>
    private static readonly ModelInput Convention = ModelInput.Default with { Size = InputSize.Square(Side) };

    /// <summary>Weights of the class scores over the quadrant's mean of each channel: class 0 likes brightness.</summary>
    private static readonly float[] Weights = [18, 12, 15, -1, -2, -1];

    /// <summary>
    /// x [N,3,32,32] → Mul by a 0/1 mask that is 1 on quadrant <paramref name="quadrant"/> (0 top left, 1 top right,
    /// 2 bottom left, 3 bottom right) → GlobalAveragePool → Flatten → Gemm → scores [N,2].
    /// </summary>
    private static string QuadrantNetwork(TempDirectory dir, int quadrant)
    {
        var mask = new float[Side * Side];
        foreach (var (row, column) in QuadrantPixels(quadrant)) mask[row * Side + column] = 1;
        return new TestModelBuilder()
            .Input("x", null, 3, Side, Side)
            .Initializer("mask", mask, 1, 1, Side, Side)
            .Initializer("w", Weights, 2, 3).Initializer("b", new float[] { 10, 0 }, 2)
            .Node("Mul", ["x", "mask"], ["kept"])
            .Node("GlobalAveragePool", ["kept"], ["pooled"]).Node("Flatten", ["pooled"], ["features"])
            .Node("Gemm", ["features", "w", "b"], ["scores"], ("transB", 1L))
            .Output("scores").Save(dir.File($"quadrant-{quadrant}.onnx"));
    }

    private static IEnumerable<(int Row, int Column)> QuadrantPixels(int quadrant)
    {
        int top = quadrant / 2 * Half, left = quadrant % 2 * Half;
        for (int row = top; row < top + Half; row++)
            for (int column = left; column < left + Half; column++) yield return (row, column);
    }

    private static bool InQuadrant(int quadrant, int row, int column) =>
        row / Half == quadrant / 2 && column / Half == quadrant % 2;

    /// <summary>A picture of random colours none of which is black, preprocessed: [1,3,32,32].</summary>
    private static Tensor Picture(int brightest = 255)
    {
        var random = new Random(11);
        byte[] pixels = Enumerable.Range(0, Side * Side * 3).Select(_ => (byte)random.Next(1, brightest + 1)).ToArray();
        return new ImagePreprocessor(Convention).Preprocess(new RgbImage(Side, Side, pixels));
    }

    private static Explainer Explainer(OnnxGraph graph, int batchSize = 32) =>
        new(graph, [], new AttributionOptions { Input = Convention, BatchSize = batchSize });

    private static AttributionMethod Configured(AttributionMethod method, params (string Option, string Value)[] values) =>
        method.Configure(new MethodSettings(values.ToDictionary(v => v.Option, v => v.Value)));

    /// <summary>The attribution [H,W] of the only image (every channel carries the same map).</summary>
    private static float[,] Map(Explanation explanation)
    {
        Tensor attributions = explanation.Attributions!;
        Assert.Equal(new long[] { 1, 3, Side, Side }, attributions.shape);
        Assert.True(attributions[0, 0].eq(attributions[0, 2]).all().item<bool>(), "the same map in every channel");
        float[] values = attributions[0, 0].contiguous().data<float>().ToArray();
        var map = new float[Side, Side];
        for (int i = 0; i < values.Length; i++) map[i / Side, i % Side] = values[i];
        return map;
    }

    [Theory]
    [InlineData(0, 8, 8)]
    [InlineData(3, 8, 8)]
    [InlineData(1, 16, 8)]
    [InlineData(2, 12, 4)]
    public void Occlusion_attributes_only_the_quadrant_the_network_reads(int quadrant, int window, int stride)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(QuadrantNetwork(dir, quadrant));
        using var explainer = Explainer(graph);
        var occlusion = Configured(new Occlusion(), ("--window", window.ToString()), ("--stride", stride.ToString()));
        using Explanation explanation = explainer.Explain(occlusion, Picture(), [0]);
        float[,] map = Map(explanation);

        // Windows that reach into the quadrant also cover up to window - stride pixels beyond it (stride divides
        // the quadrant's side, so windows start at its edge); no other window changes the score.
        int reach = window - stride;
        int top = quadrant / 2 * Half, left = quadrant % 2 * Half;
        for (int row = 0; row < Side; row++)
        {
            for (int column = 0; column < Side; column++)
            {
                bool near = row >= top - reach && row < top + Half + reach && column >= left - reach && column < left + Half + reach;
                if (InQuadrant(quadrant, row, column)) Assert.True(map[row, column] > 1e-3f, $"({row},{column}) in the quadrant: {map[row, column]}");
                else if (!near) Assert.True(Math.Abs(map[row, column]) < 1e-5f, $"({row},{column}) outside: {map[row, column]}");
            }
        }
    }

    [Fact]
    public void Occlusion_with_disjoint_windows_gives_each_pixel_its_windows_exact_score_drop()
    {
        // score_0 = sum_c w_c mean(x_c on the quadrant) / 4: blacking out an 8x8 window lowers it by
        // sum_c w_c sum_window (x_c - black_c) / 1024.
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(QuadrantNetwork(dir, 0));
        using var explainer = Explainer(graph);
        Tensor input = Picture();
        using Explanation explanation = explainer.Explain(Configured(new Occlusion(), ("--window", "8")), input, [0]);
        float[,] map = Map(explanation);

        Tensor black = new ImagePreprocessor(Convention).Preprocess(new RgbImage(Side, Side));
        Tensor weighted = ((input - black)[0] * tensor(Weights[..3]).reshape(3, 1, 1)).sum([0]) / (Side * Side);   // [H,W]
        for (int row = 0; row < Half; row += 8)
        {
            for (int column = 0; column < Half; column += 8)
            {
                float drop = weighted.narrow(0, row, 8).narrow(1, column, 8).sum().item<float>();
                for (int r = row; r < row + 8; r++)
                    for (int c = column; c < column + 8; c++) Assert.Equal(drop, map[r, c], 1e-4f);
            }
        }
    }

    [Fact]
    public void Occlusion_needs_one_forward_pass_per_window_in_the_contexts_batches()
    {
        using var dir = new TempDirectory();
        using OnnxGraph graph = OnnxGraph.Load(QuadrantNetwork(dir, 0));
        using var explainer = Explainer(graph, batchSize: 10);
        // 224 pixels: windows at 0, 8, ..., 208 (27 per side); 230: up to 216, the last clipped (28 per side).
        Assert.Equal(new RequiredRuns(27 * 27, 10, Backward: false), new Occlusion().RunsPerImage(explainer.Context, 224, 224));
        Assert.Equal(new RequiredRuns(28 * 27, 10, Backward: false), new Occlusion().RunsPerImage(explainer.Context, 230, 224));
        Assert.Equal(new RequiredRuns(500, 10, Backward: false), Configured(new Rise(), ("--masks", "500")).RunsPerImage(explainer.Context, 224, 224));
    }

    [Fact]
    public void Rise_gives_the_same_map_for_a_seed_whatever_the_batch_size_and_another_for_another_seed()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(QuadrantNetwork(dir, 1));
        Tensor input = Picture();
        Tensor Run(string seed, int batchSize)
        {
            using var explainer = Explainer(graph, batchSize);
            var rise = Configured(new Rise(), ("--masks", "200"), ("--cell", "4"), ("--seed", seed));
            using Explanation explanation = explainer.Explain(rise, input, [0]);
            return explanation.Attributions!.clone();
        }

        Tensor first = Run("3", 32);
        Assert.True(first.eq(Run("3", 32)).all().item<bool>(), "the same seed, the same map");
        Assert.True(first.allclose(Run("3", 7), rtol: 1e-5, atol: 1e-7), "the masks do not depend on the batch size");
        Tensor other = Run("4", 32);
        Assert.False(first.allclose(other, rtol: 1e-3, atol: 1e-5), "another seed, other masks");
        // Either way the map estimates the same expectation: the two agree in shape.
        Assert.True(Correlation.Pearson(first.flatten().data<float>().ToArray(), other.flatten().data<float>().ToArray()) > 0.5);
    }

    [Fact]
    public void Rise_keeping_every_cell_gives_every_pixel_the_probability_of_the_whole_input()
    {
        // Every mask is all ones, so sum_i score_i M_i / (N p) is the target's softmax probability of the input.
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(QuadrantNetwork(dir, 2));
        using var explainer = Explainer(graph);
        Tensor input = Picture(brightest: 120);   // dark enough for neither class to be certain
        using Explanation explanation = explainer.Explain(Configured(new Rise(), ("--masks", "40"), ("--keep", "1")), input, [1]);
        float probability = softmax(graph.Scores(input), 1)[0, 1].item<float>();
        Assert.InRange(probability, 0.01f, 0.99f);
        Assert.All(Map(explanation).Cast<float>(), v => Assert.Equal(probability, v, 1e-5f));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Rise_concentrates_its_mass_in_the_quadrant_the_network_reads(int quadrant)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(QuadrantNetwork(dir, quadrant));
        using var explainer = Explainer(graph);
        var rise = Configured(new Rise(), ("--masks", "2000"), ("--cell", "8"));
        using Explanation explanation = explainer.Explain(rise, Picture(), [0]);
        float[,] map = Map(explanation);

        // Far from the quadrant the saliency is the mean probability, plus sampling noise: above the typical level
        // of the pixels outside, the mass lies in the quadrant, up to the blur of the masks' bilinear cells.
        float[] values = map.Cast<float>().ToArray();
        bool[] inside = Enumerable.Range(0, values.Length).Select(i => InQuadrant(quadrant, i / Side, i % Side)).ToArray();
        float[] outside = values.Where((_, i) => !inside[i]).Order().ToArray();
        float typical = outside[outside.Length / 2];
        double excessInside = values.Where((_, i) => inside[i]).Sum(v => Math.Max(0, v - typical));
        double excess = values.Sum(v => Math.Max(0, v - typical));
        Assert.True(excessInside / excess > 0.75, $"{excessInside / excess:F3} of the mass above the outside's median in the quadrant");
        // And the quadrant's pixels are the most salient (a quarter of them would be, by chance).
        int topInside = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).Take(Half * Half).Count(i => inside[i]);
        Assert.True(topInside >= 0.9 * Half * Half, $"{topInside} of the {Half * Half} most salient pixels in the quadrant");
        Tensor heatmap = explanation.Heatmaps[0];
        Assert.Equal(0f, heatmap.min().item<float>());
        Assert.Equal(1f, heatmap.max().item<float>());
    }

    [Theory]
    [InlineData("occlusion", "--window", "0", "expected a whole number from 1 to 4096, got '0'")]
    [InlineData("occlusion", "--stride", "0", "expected a whole number from 1 to 16, got '0'")]
    [InlineData("occlusion", "--stride", "17", "expected a whole number from 1 to 16, got '17'")]
    [InlineData("occlusion", "--baseline", "no-such-baseline.png", "expected black, mean, blur, noise or an image FILE; no-such-baseline.png: no such file")]
    [InlineData("rise", "--masks", "0", "expected a whole number of at least 1, got '0'")]
    [InlineData("rise", "--cell", "0", "expected a whole number from 1 to 4096, got '0'")]
    [InlineData("rise", "--keep", "1.5", "expected a number from 0 to 1, got '1.5'")]
    [InlineData("rise", "--keep", "0", "expected a number above 0 and at most 1, got '0'")]
    [InlineData("rise", "--seed", "-1", "expected a whole number of at least 0, got '-1'")]
    public void A_bad_value_is_a_one_line_error_naming_the_option_and_nothing_is_written(string method, string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("explain", SharedData.Require("images/cat-and-dog.png"), "--model", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"),
            "--method", method, option, value, "--out", output);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gaze: {option}: {message}", result.Error.Trim());
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Bench_times_the_forward_passes_occlusion_needs()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("--json", "bench", "--model", QuadrantNetwork(dir, 2), "--method", "occlusion", "--window", "8", "--iterations", "1");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        JsonElement runs = json.RootElement.GetProperty("required_runs");
        Assert.Equal(16, runs.GetProperty("inputs").GetInt32());
        Assert.Equal(32, runs.GetProperty("batch").GetInt32());
        Assert.False(runs.GetProperty("backward").GetBoolean());
        Assert.True(json.RootElement.GetProperty("required_runs_ms").GetProperty("median").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("method_to_required_runs").GetDouble() > 0);
    }
}
