using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// What a CAM method sees of one target layer for a batch: the activations A [N,K,H,W] and, for gradient
/// methods, G = dScore/dA of the same shape (score = the target class's pre-softmax output).
/// </summary>
/// <param name="Activations">A, detached from the autograd graph.</param>
/// <param name="Gradients">G, or null for methods that need none.</param>
public sealed record LayerSignals(Tensor Activations, Tensor? Gradients)
{
    /// <summary>G, for methods that cannot work without it.</summary>
    /// <exception cref="InvalidOperationException">The gradients were not computed.</exception>
    public Tensor RequireGradients() =>
        Gradients ?? throw new InvalidOperationException("this CAM method needs the gradients of the target layer");
}
