using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Lets perturbation methods (Score-CAM) score modified copies of the input: the preprocessed input [N,...] and a
/// function giving the target's pre-softmax score for a batch of inputs.
/// </summary>
/// <param name="Input">The preprocessed batch the activations came from.</param>
/// <param name="Score">Scores of class <c>target</c> for a batch of inputs [B,...] → [B]; runs without gradients.</param>
/// <param name="BatchSize">How many modified inputs to score at once.</param>
public sealed record InputScoring(Tensor Input, Func<Tensor, int, Tensor> Score, int BatchSize = 32);
