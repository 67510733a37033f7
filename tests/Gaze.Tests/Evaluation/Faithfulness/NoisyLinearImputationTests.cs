using System.Text.Json;
using Gaze.Evaluation.Faithfulness;
using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>
/// ROAD's noisy linear imputation (Rong et al., ICML 2022): removed pixels solved jointly as the weighted mean of
/// their neighbours, against pytorch-grad-cam's <c>NoisyLinearImputer</c> and against what a linear system must do.
/// </summary>
public sealed class NoisyLinearImputationTests
{
    [Fact]
    public void Without_noise_the_imputation_equals_pytorch_grad_cams_noisy_linear_imputer()
    {
        using var scope = NewDisposeScope();
        JsonElement reference = PytorchGradCamReference.Root.GetProperty("imputation");
        int channels = reference.GetProperty("channels").GetInt32(), height = reference.GetProperty("height").GetInt32(), width = reference.GetProperty("width").GetInt32();
        float[] image = reference.GetProperty("image").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        bool[] removed = reference.GetProperty("removed").EnumerateArray().Select(v => v.GetInt32() == 1).ToArray();
        float[] expected = reference.GetProperty("imputed").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        Tensor imputed = NoisyLinearImputation.Impute(tensor(image, [channels, height, width]), tensor(removed, [height, width]));

        float[] ours = imputed.data<float>().ToArray();
        for (int i = 0; i < ours.Length; i++) Assert.True(Math.Abs(ours[i] - expected[i]) < 1e-5, $"value {i}: {ours[i]} against {expected[i]}");
        // Several connected removed pixels, corners included, so the system is solved jointly and not pixel by pixel.
        Assert.True(removed.Count(r => r) > 15);
    }

    [Fact]
    public void A_linear_ramp_is_imputed_exactly_inside_the_image()
    {
        using var scope = NewDisposeScope();
        // The stencil is symmetric, so a linear function is the weighted mean of its neighbours: the unique solution.
        Tensor ys = arange(9, dtype: ScalarType.Float32).view(9, 1), xs = arange(11, dtype: ScalarType.Float32).view(1, 11);
        Tensor ramp = (2 * xs - 3 * ys + 1).unsqueeze(0).expand(2, 9, 11).contiguous();
        Tensor removed = zeros(9, 11, dtype: ScalarType.Bool);
        removed[TensorIndex.Slice(2, 7), TensorIndex.Slice(3, 9)] = tensor(true);
        removed[1, 1] = tensor(true);

        Tensor imputed = NoisyLinearImputation.Impute(ramp.unsqueeze(0), removed);

        Assert.Equal([1L, 2, 9, 11], imputed.shape);
        float largest = (imputed[0] - ramp).abs().max().item<float>();
        Assert.True(largest < 1e-4, $"largest error {largest}");
    }

    [Fact]
    public void Noise_is_seeded_has_the_given_spread_and_touches_only_removed_pixels()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        Tensor image = rand(1, 3, 32, 32);
        Tensor removed = rand(32, 32) < 0.5;

        Tensor clean = NoisyLinearImputation.Impute(image, removed);
        Tensor noisy = NoisyLinearImputation.Impute(image, removed, noise: 0.5, seed: 7);
        Tensor again = NoisyLinearImputation.Impute(image, removed, noise: 0.5, seed: 7);
        Tensor other = NoisyLinearImputation.Impute(image, removed, noise: 0.5, seed: 8);

        Assert.True(noisy.eq(again).all().item<bool>(), "the same seed gives the same noise");
        Assert.False(noisy.eq(other).all().item<bool>(), "another seed gives other noise");
        Tensor kept = removed.logical_not().expand(1, 3, 32, 32);
        Assert.True(noisy.masked_select(kept).eq(image.masked_select(kept)).all().item<bool>(), "known pixels keep their values");
        Tensor added = (noisy - clean).masked_select(removed.expand(1, 3, 32, 32));
        Assert.InRange(added.std().item<float>(), 0.45, 0.55);
        Assert.InRange(added.mean().item<float>(), -0.05, 0.05);
    }

    [Fact]
    public void Imputing_many_masks_at_once_equals_imputing_each()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        Tensor image = rand(3, 20, 24);
        Tensor masks = rand(4, 20, 24) < linspace(0.1, 0.9, 4).view(4, 1, 1);

        Tensor many = NoisyLinearImputation.ImputeMany(image, masks, noise: 0.1, seed: 2);

        Assert.Equal([4L, 3, 20, 24], many.shape);
        Assert.True(many[0].eq(NoisyLinearImputation.Impute(image, masks[0], noise: 0.1, seed: 2)).all().item<bool>(), "mask 0 draws Impute's stream");
        for (int k = 0; k < 4; k++)
        {
            float largest = (NoisyLinearImputation.ImputeMany(image, masks, seed: 2)[k] - NoisyLinearImputation.Impute(image, masks[k])).abs().max().item<float>();
            Assert.True(largest < 1e-6, $"mask {k}: largest difference {largest}");
        }
    }

    [Fact]
    public void Removing_every_pixel_is_rejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => NoisyLinearImputation.Impute(ones(1, 1, 3, 3), ones(3, 3, dtype: ScalarType.Bool)));
        Assert.Throws<ArgumentException>(() => NoisyLinearImputation.Impute(ones(1, 1, 3, 3), ones(3, 4, dtype: ScalarType.Bool)));
    }
}
