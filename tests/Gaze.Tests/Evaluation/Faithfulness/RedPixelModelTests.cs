using Gaze.Attribution;
using Gaze.Evaluation.Faithfulness;
using Gaze.Onnx;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>
/// On an ONNX model whose class-0 score counts the red in the picture, the red mask is the perfect attribution:
/// every faithfulness metric must rank it clearly above seeded random heatmaps, through ONNX Runtime as
/// <c>gaze evaluate</c> scores.
/// </summary>
public sealed class RedPixelModelTests
{
    private const int Side = 8;

    // 16 red pixels of 64, none touching another, so that no red pixel is imputed from a red neighbour.
    private static readonly (int Y, int X)[] RedPixels =
        Enumerable.Range(0, 4).SelectMany(i => Enumerable.Range(0, 4).Select(j => (2 * i + (j % 2), 2 * j))).ToArray();

    private static readonly int[] RandomSeeds = [1, 2, 3];

    /// <summary>x [N,3,8,8] → Flatten → Gemm: class 0 scores 0.5 per unit of red minus 8, class 1 scores 0.</summary>
    private static string RedCounter(TempDirectory dir)
    {
        var weights = new float[2 * 3 * Side * Side];
        for (int i = 0; i < Side * Side; i++) weights[i] = 0.5f;
        return new TestModelBuilder()
            .Input("x", null, 3, Side, Side)
            .Initializer("w", weights, 2, 3 * Side * Side).Initializer("b", [-8f, 0f], 2)
            .Node("Flatten", ["x"], ["f"])
            .Node("Gemm", ["f", "w", "b"], ["scores"], ("transB", 1L))
            .Output("scores").Save(dir.File("red.onnx"));
    }

    /// <summary>Red pixels (1, 0, 0) on a grey-blue ground (0, 0.5, 0.5): clean p(class 0) = sigmoid(0) = 1/2.</summary>
    private static Tensor Picture()
    {
        Tensor picture = zeros(1, 3, Side, Side);
        picture[0, 1].fill_(0.5f);
        picture[0, 2].fill_(0.5f);
        foreach (var (y, x) in RedPixels)
        {
            picture[0, 0, y, x] = 1f;
            picture[0, 1, y, x] = 0f;
            picture[0, 2, y, x] = 0f;
        }
        return picture;
    }

    private static Tensor RedMask(Tensor picture) => picture[0, 0].clone();

    [Fact]
    public void Deletion_with_the_perfect_attribution_falls_faster_than_with_random_ones()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(RedCounter(dir));
        using var explainer = new Explainer(graph, []);
        Tensor picture = Picture(), black = zeros_like(picture);

        FaithfulnessCurve perfect = DeletionInsertion.Deletion(explainer.Context.Scores, picture, RedMask(picture), 0, black);
        Assert.Equal(1.0, perfect.Values[0], 6);
        foreach (int seed in RandomSeeds)
        {
            FaithfulnessCurve random = DeletionInsertion.Deletion(explainer.Context.Scores, picture, HeatmapBaselines.Random(Side, Side, seed), 0, black);
            Assert.True(perfect.Auc < random.Auc - 0.1 && perfect.Auc < random.Auc / 3, $"seed {seed}: perfect {perfect.Auc:F4}, random {random.Auc:F4}");
        }
        // Once the 16 red pixels (a quarter) are gone the probability is sigmoid(-8) / sigmoid(0).
        Assert.Equal(Sigmoid(-8) / Sigmoid(0), perfect.Values[5], 6);
    }

    [Fact]
    public void Insertion_with_the_perfect_attribution_rises_faster_than_with_random_ones()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(RedCounter(dir));
        using var explainer = new Explainer(graph, []);
        Tensor picture = Picture(), black = zeros_like(picture);

        FaithfulnessCurve perfect = DeletionInsertion.Insertion(explainer.Context.Scores, picture, RedMask(picture), 0, black);
        Assert.Equal(1.0, perfect.Values[^1], 6);
        foreach (int seed in RandomSeeds)
        {
            FaithfulnessCurve random = DeletionInsertion.Insertion(explainer.Context.Scores, picture, HeatmapBaselines.Random(Side, Side, seed), 0, black);
            Assert.True(perfect.Auc > random.Auc + 0.2, $"seed {seed}: perfect {perfect.Auc:F4}, random {random.Auc:F4}");
        }
    }

    [Fact]
    public void Road_scores_the_perfect_attribution_above_random_ones()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(RedCounter(dir));
        using var explainer = new Explainer(graph, []);
        Tensor picture = Picture();

        RoadResult perfect = Road.Evaluate(explainer.Context.Scores, picture, RedMask(picture), 0);
        Assert.Equal(Road.DefaultPercentages, perfect.Percentages);
        Assert.Equal(9, perfect.MostRelevantFirstValues.Length);
        Assert.Equal(perfect.LeastRelevantFirst - perfect.MostRelevantFirst, perfect.Combined, 12);
        // Without noise, 10% removes 6 isolated red pixels, imputed as 0 red from their neighbours: 10 units of red remain.
        RoadResult exact = Road.Evaluate(explainer.Context.Scores, picture, RedMask(picture), 0, [10], noise: 0);
        Assert.Equal(Sigmoid(-3) / Sigmoid(0), exact.MostRelevantFirstValues[0], 5);
        foreach (int seed in RandomSeeds)
        {
            RoadResult random = Road.Evaluate(explainer.Context.Scores, picture, HeatmapBaselines.Random(Side, Side, seed), 0);
            Assert.True(perfect.MostRelevantFirst < random.MostRelevantFirst - 0.1, $"seed {seed}: MoRF perfect {perfect.MostRelevantFirst:F4}, random {random.MostRelevantFirst:F4}");
            Assert.True(perfect.LeastRelevantFirst > random.LeastRelevantFirst + 0.1, $"seed {seed}: LeRF perfect {perfect.LeastRelevantFirst:F4}, random {random.LeastRelevantFirst:F4}");
            Assert.True(perfect.Combined > random.Combined + 0.2, $"seed {seed}: combined perfect {perfect.Combined:F4}, random {random.Combined:F4}");
        }
    }

    [Fact]
    public void Road_with_the_same_seed_gives_the_same_scores_and_another_seed_other_noise()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(RedCounter(dir));
        using var explainer = new Explainer(graph, []);
        Tensor picture = Picture(), heatmap = HeatmapBaselines.CentreGaussian(Side, Side);

        RoadResult first = Road.Evaluate(explainer.Context.Scores, picture, heatmap, 0, [30, 60], noise: 0.2, seed: 4, batchSize: 2);
        RoadResult again = Road.Evaluate(explainer.Context.Scores, picture, heatmap, 0, [30, 60], noise: 0.2, seed: 4);
        RoadResult other = Road.Evaluate(explainer.Context.Scores, picture, heatmap, 0, [30, 60], noise: 0.2, seed: 5);

        Assert.Equal(first.MostRelevantFirstValues, again.MostRelevantFirstValues);
        Assert.Equal(first.LeastRelevantFirstValues, again.LeastRelevantFirstValues);
        Assert.NotEqual(first.MostRelevantFirstValues, other.MostRelevantFirstValues);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
