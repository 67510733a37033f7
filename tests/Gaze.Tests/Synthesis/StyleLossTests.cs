using Gaze.Synthesis;
using static TorchSharp.torch;

namespace Gaze.Tests.Synthesis;

/// <summary>The style-transfer losses against values worked out by hand on tensors small enough to check on paper.</summary>
public sealed class StyleLossTests
{
    [Fact]
    public void The_gram_matrix_is_f_f_transposed_over_c_h_w()
    {
        using var scope = NewDisposeScope();
        // Two channels over a 1x2 map: rows f0 = (1, 2), f1 = (3, 4); C·H·W = 4.
        Tensor features = tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 1, 2);
        float[] gram = StyleLosses.Gram(features).data<float>().ToArray();
        Assert.Equal(new[] { 5f / 4, 11f / 4, 11f / 4, 25f / 4 }, gram);
    }

    [Fact]
    public void Content_loss_is_the_weighted_sum_of_squared_differences()
    {
        using var scope = NewDisposeScope();
        Tensor f = tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 2, 2), p = tensor(new float[] { 0, 2, 5, 4 }).view(1, 1, 2, 2);
        // (1)² + 0 + (−2)² + 0 = 5, times 0.5.
        Assert.Equal(2.5f, StyleLosses.Content(0.5, f, p).item<float>(), 5);
    }

    [Fact]
    public void Style_loss_is_the_weighted_squared_distance_of_the_gram_matrices()
    {
        using var scope = NewDisposeScope();
        Tensor features = tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 1, 2);
        Tensor target = zeros(2, 2);
        // Σ G² = (25 + 121 + 121 + 625) / 16 = 55.75, times 2.
        Assert.Equal(111.5f, StyleLosses.Style(2, features, target).item<float>(), 3);
    }

    [Fact]
    public void Total_variation_sums_squared_vertical_and_horizontal_neighbour_differences()
    {
        using var scope = NewDisposeScope();
        // [[1, 2], [4, 8]]: vertical (4−1)² + (8−2)² = 45, horizontal (2−1)² + (8−4)² = 17.
        Tensor x = tensor(new float[] { 1, 2, 4, 8 }).view(1, 1, 2, 2);
        Assert.Equal(62f * 0.1f, StyleLosses.TotalVariation(0.1, x).item<float>(), 4);
    }
}
