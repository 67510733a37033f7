using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Lets Ablation-CAM score modified activations of the target layer: only the part of the network after the layer
/// runs again.
/// </summary>
/// <param name="OriginalScores">Each image's unmodified target score [N].</param>
/// <param name="Score">
/// For image <c>i</c>, the scores of class <c>target</c> [B] when the layer's activations are replaced by a batch
/// of modified copies [B,K,H,W]; runs without gradients.
/// </param>
/// <param name="BatchSize">How many modified copies to score at once.</param>
public sealed record LayerScoring(Tensor OriginalScores, Func<int, Tensor, int, Tensor> Score, int BatchSize = 32);
