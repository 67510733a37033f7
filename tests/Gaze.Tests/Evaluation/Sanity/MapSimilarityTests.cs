using Gaze.Evaluation.Sanity;
using Gaze.Imaging;

namespace Gaze.Tests.Evaluation.Sanity;

/// <summary>The rank, SSIM and HOG similarities of the sanity checks on maps whose answers are known.</summary>
public sealed class MapSimilarityTests
{
    [Fact]
    public void Pearson_matches_numpy_and_is_zero_for_a_constant_series()
    {
        // numpy.corrcoef([1, 2, 3, 4, 6], [2, 1, 4, 3, 7])[0, 1]
        Assert.Equal(0.8806955667454325, PearsonCorrelation.Of([1, 2, 3, 4, 6], [2, 1, 4, 3, 7]), 12);
        Assert.Equal(-1, PearsonCorrelation.Of([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0, PearsonCorrelation.Of([1, 2, 3], [5, 5, 5]));
        Assert.Throws<ArgumentException>(() => PearsonCorrelation.Of([1, 2], [1, 2, 3]));
    }

    [Fact]
    public void Spearman_matches_scipy_on_its_documented_example_with_a_tie()
    {
        // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) = 0.8207826816681233 (the two 7s share rank 3.5).
        Assert.Equal(0.8207826816681233, SpearmanCorrelation.Of([1f, 2, 3, 4, 5], [5f, 6, 7, 8, 7]), 12);
    }

    [Fact]
    public void Ties_share_the_mean_of_their_ranks()
    {
        Assert.Equal([1, 2.5, 2.5, 4, 6, 6, 6], SpearmanCorrelation.Ranks([10f, 20, 20, 30, 40, 40, 40]));
    }

    [Fact]
    public void Spearman_is_one_for_any_increasing_map_minus_one_reversed_and_zero_for_a_flat_map()
    {
        float[] a = [0.1f, 0.5f, 0.2f, 0.9f, 0.3f];
        Assert.Equal(1, SpearmanCorrelation.Of(a, a.Select(v => MathF.Exp(3 * v)).ToArray()), 12);
        Assert.Equal(-1, SpearmanCorrelation.Of(a, a.Select(v => -v).ToArray()), 12);
        Assert.Equal(0, SpearmanCorrelation.Of(a, [2f, 2, 2, 2, 2]));
    }

    [Fact]
    public void Ssim_of_identical_maps_is_one_and_of_two_flat_maps_their_luminance_term()
    {
        Heatmap map = Pattern(32, 24, (x, y) => (float)((Math.Sin(x * 0.7) * Math.Cos(y * 0.3) + 1) / 2));
        Assert.Equal(1, StructuralSimilarity.Of(map, map), 12);
        // Flat maps: no variance, so SSIM = (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1) with C1 = 0.01^2.
        double expected = (2 * 0.2 * 0.6 + 1e-4) / (0.2 * 0.2 + 0.6 * 0.6 + 1e-4);
        Assert.Equal(expected, StructuralSimilarity.Of(Pattern(16, 16, (_, _) => 0.2f), Pattern(16, 16, (_, _) => 0.6f)), 5);
        Heatmap inverted = new(map.Width, map.Height, map.Values.Select(v => 1 - v).ToArray());
        Assert.True(StructuralSimilarity.Of(map, inverted) < 0);
    }

    [Fact]
    public void Hog_similarity_is_one_for_identical_maps_and_low_for_a_rotated_pattern()
    {
        Heatmap vertical = Pattern(64, 64, (x, _) => x % 8 < 4 ? 1f : 0f);
        Heatmap horizontal = Pattern(64, 64, (_, y) => y % 8 < 4 ? 1f : 0f);
        Heatmap blob = Pattern(64, 64, (x, y) => (float)Math.Exp(-((x - 20) * (x - 20) + (y - 24) * (y - 24)) / 60.0));
        Heatmap shifted = Pattern(64, 64, (x, y) => (float)Math.Exp(-((x - 44) * (x - 44) + (y - 40) * (y - 40)) / 60.0));

        Assert.Equal(7 * 7 * 2 * 2 * 9, HogDescriptor.Features(vertical).Length);
        Assert.Equal(1, HogSimilarity.Of(vertical, vertical), 12);
        Assert.Equal(1, HogSimilarity.Of(blob, blob), 12);
        Assert.True(HogSimilarity.Of(vertical, horizontal) < 0.2);
        Assert.True(HogSimilarity.Of(blob, shifted) < 0.5);
    }

    [Fact]
    public void Map_similarity_compares_signs_in_spearman_and_magnitudes_in_the_others()
    {
        Heatmap original = Pattern(16, 16, (x, y) => (x - 8) * 0.1f + y * 0.01f);
        Heatmap flipped = new(16, 16, original.Values.Select(v => -v).ToArray());
        MapSimilarity similarity = MapSimilarity.Between(original, flipped);
        Assert.Equal(-1, similarity.Spearman, 12);
        Assert.Equal(1, similarity.SpearmanAbs, 12);
        Assert.Equal(1, similarity.Ssim, 12);
        Assert.Equal(1, similarity.Hog, 12);
    }

    [Fact]
    public void Ssim_hog_and_spearman_match_scikit_image_and_scipy()
    {
        // Reference values from scikit-image 0.19.3 and scipy 1.10.1 on the same float32 maps:
        // structural_similarity(a, b, data_range=1); hog(m, orientations=9, pixels_per_cell=(8, 8),
        // cells_per_block=(2, 2), block_norm='L2-Hys'); np.corrcoef of the two HOG vectors; spearmanr.
        Heatmap a = Pattern(48, 40, (x, y) => (float)((Math.Sin(0.3 * x) * Math.Cos(0.2 * y) + 1) / 2));
        Heatmap b = Pattern(48, 40, (x, y) => (float)Math.Exp(-((x - 20.0) * (x - 20) + (y - 15.0) * (y - 15)) / 80));

        Assert.Equal(0.051298963790217825, StructuralSimilarity.Of(a, b), 5);
        double[] features = HogDescriptor.Features(a);
        Assert.Equal(720, features.Length);
        Assert.Equal(104.34297, features.Sum(), 3);
        double[] first = [0.19096816, 0.06114737, 0.04099239, 0.12205701];
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], features[i], 5);
        Assert.Equal(-0.09518086118215584, HogSimilarity.Of(a, b), 4);
        Assert.Equal(-0.04999244478857965, SpearmanCorrelation.Of(a.Values, b.Values), 6);
    }

    private static Heatmap Pattern(int width, int height, Func<int, int, float> value)
    {
        var values = new float[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) values[y * width + x] = value(x, y);
        return new Heatmap(width, height, values);
    }
}
