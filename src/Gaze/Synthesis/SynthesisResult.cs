using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// What an optimisation made: the final input tensor, snapshots along the way and the per-step trace. Owns its
/// tensors; dispose it.
/// </summary>
/// <param name="Input">The final image, [1,C,H,W] in the model's input space, channels first.</param>
/// <param name="Snapshots">Intermediate images (same space), for a contact sheet.</param>
/// <param name="Trace">The measure the run drives, one value per step.</param>
/// <param name="Measure">What <paramref name="Trace"/> holds, e.g. "loss" or "p(target)".</param>
public sealed record SynthesisResult(Tensor Input, IReadOnlyList<Tensor> Snapshots, IReadOnlyList<double> Trace, string Measure) : IDisposable
{
    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Input.Dispose();
        foreach (Tensor snapshot in Snapshots) snapshot.Dispose();
    }
}
