using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// What a CAM method sees of one target layer for a batch: the activations A [N,K,H,W] and, for gradient
/// methods, G = dScore/dA of the same shape (score = the target class's pre-softmax output).
/// </summary>
/// <param name="Activations">A, detached from the autograd graph.</param>
/// <param name="Gradients">G, or null for methods that need none.</param>
/// <param name="Scoring">Access to the input and the model's scores, for perturbation methods.</param>
public sealed record LayerSignals(Tensor Activations, Tensor? Gradients, InputScoring? Scoring = null)
{
    /// <summary>The input scoring, for methods that cannot work without it.</summary>
    /// <exception cref="InvalidOperationException">No scoring was provided.</exception>
    public InputScoring RequireScoring() =>
        Scoring ?? throw new InvalidOperationException("this CAM method needs to score modified inputs");

    /// <summary>G, for methods that cannot work without it.</summary>
    /// <exception cref="InvalidOperationException">The gradients were not computed.</exception>
    public Tensor RequireGradients() =>
        Gradients ?? throw new InvalidOperationException("this CAM method needs the gradients of the target layer");
}
