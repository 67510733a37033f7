using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// The losses of neural style transfer (Gatys, Ecker and Bethge, "Image Style Transfer Using Convolutional Neural
/// Networks", CVPR 2016) with the CS231n normalisation, and the total-variation prior (Mahendran and Vedaldi,
/// "Understanding Deep Image Representations by Inverting Them", CVPR 2015). Features are [1,C,H,W].
/// </summary>
public static class StyleLosses
{
    /// <summary>The Gram matrix F Fᵀ / (C·H·W) [C,C] of features F [1,C,H,W] flattened to [C, H·W].</summary>
    public static Tensor Gram(Tensor features)
    {
        using var scope = NewDisposeScope();
        long channels = features.shape[1], positions = features.shape[2] * features.shape[3];
        Tensor flat = features.reshape(channels, positions);
        return (flat.matmul(flat.t()) / (channels * positions)).MoveToOuterDisposeScope();
    }

    /// <summary>w · Σ (F − P)²: how far the features are from the content image's.</summary>
    public static Tensor Content(double weight, Tensor features, Tensor target) => (features - target).square().sum() * weight;

    /// <summary>w · Σ (G(F) − A)², with A the style image's Gram matrix at the same layer.</summary>
    public static Tensor Style(double weight, Tensor features, Tensor targetGram) => (Gram(features) - targetGram).square().sum() * weight;

    /// <summary>w · (Σ of squared differences of vertically and horizontally adjacent values) of x [N,C,H,W].</summary>
    public static Tensor TotalVariation(double weight, Tensor x)
    {
        using var scope = NewDisposeScope();
        long height = x.shape[2], width = x.shape[3];
        Tensor vertical = (x.narrow(2, 1, height - 1) - x.narrow(2, 0, height - 1)).square().sum();
        Tensor horizontal = (x.narrow(3, 1, width - 1) - x.narrow(3, 0, width - 1)).square().sum();
        return ((vertical + horizontal) * weight).MoveToOuterDisposeScope();
    }
}
