using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// A class activation map computed from one layer's activations and gradients. Subclasses state their math in
/// <see cref="WeightedActivations"/>; this base turns it into a map the way pytorch-grad-cam does:
/// sum over channels (or, with eigen smoothing, the first principal component), then ReLU.
/// </summary>
public abstract class CamMethod
{
    /// <summary>The method's command-line name, e.g. <c>gradcam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the method needs besides the activations; gradients unless a subclass says otherwise.</summary>
    public virtual CamSignals Needs => CamSignals.Gradients;

    /// <summary>Whether <see cref="LayerSignals.Gradients"/> must be computed.</summary>
    public bool NeedsGradients => Needs.HasFlag(CamSignals.Gradients);

    /// <summary>Always project onto the first principal component (Eigen-CAM), whatever eigen smoothing says.</summary>
    protected virtual bool AlwaysProjects => false;

    /// <summary>The per-channel evidence [N,K,H,W] whose sum over K is the map.</summary>
    protected abstract Tensor WeightedActivations(LayerSignals signals);

    /// <summary>
    /// The raw map [N,H,W] at the layer's resolution, after the method's ReLU and before normalisation.
    /// </summary>
    /// <param name="signals">The layer's activations (and gradients).</param>
    /// <param name="eigenSmooth">Replace the sum over channels by the first principal component.</param>
    public Tensor RawMap(LayerSignals signals, bool eigenSmooth = false)
    {
        using var scope = NewDisposeScope();
        Tensor weighted = WeightedActivations(signals);
        Tensor map = AlwaysProjects || eigenSmooth ? PrincipalProjection.Of(weighted) : weighted.sum(1);
        return nn.functional.relu(map).MoveToOuterDisposeScope();
    }
}
