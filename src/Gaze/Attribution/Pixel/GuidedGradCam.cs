using Gaze.Attribution.Cam;
using Gaze.Onnx.Operators;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// Guided Grad-CAM (Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
/// Localization", ICCV 2017): Guided Backprop's attribution [N,C,H,W] times the target layer's Grad-CAM map
/// ReLU(sum_k w_k A_k), upsampled bilinearly to the input size and broadcast over the channels. Guided Backprop is
/// sharp but hardly class-discriminative; the Grad-CAM factor keeps the parts of it on the target's region.
/// </summary>
/// <remarks>
/// As in Captum's <c>GuidedGradCam</c> the map is ReLU'd but not normalised, so the attributions keep the scale of
/// the gradients; the upsampling is the paper's bilinear one, as in the CAM post-processing (Captum defaults to
/// nearest; with <c>interpolate_mode="bilinear"</c> the two agree). With several layers the upsampled maps are
/// averaged unnormalised, so a layer with larger activations and gradients weighs more. The raw Grad-CAM maps go
/// into <see cref="Explanation.RawMaps"/>. CAM smoothing options do not apply.
/// </remarks>
public sealed class GuidedGradCam : AttributionMethod
{
    private static readonly GradCam Cam = new();

    /// <inheritdoc />
    public override string Name => "guided-gradcam";

    /// <inheritdoc />
    public override string Summary => "Guided Grad-CAM: Guided Backprop times the layer's upsampled Grad-CAM (Selvaraju et al., ICCV 2017)";

    /// <inheritdoc />
    public override MethodNeeds Needs =>
        MethodNeeds.InputGradients | MethodNeeds.ReluHooks | MethodNeeds.LayerActivations | MethodNeeds.LayerGradients;

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options { get; } = [MethodOption.Layer];

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        using var scope = NewDisposeScope();
        // The CAM plumbing's tensors land in this scope; what is kept moves out below, the rest (its heatmaps) is
        // freed with the scope, so the explanation itself is not disposed.
        Explanation gradCam = context.Shared(c => new CamExplainer(c)).ExplainChannelsFirst(input, targets, Cam, smoothing: false);
        // The hooks change only the backward pass, so this forward pass scores as the Grad-CAM one did; the targets
        // are fixed anyway so that both factors explain the same class.
        var (_, _, guided) = context.InputGradients(input, TargetRequest.Classes(gradCam.Targets), ReluBackward.Guided);
        Tensor cam = stack(gradCam.RawMaps.Select(raw => CamPostprocessing.Resize(raw, input.shape[2], input.shape[3]))).mean([0]);
        Tensor attributions = guided * cam.unsqueeze(1).to(guided.dtype);
        return new Explanation(PixelMaps.Magnitude(attributions).MoveToOuterDisposeScope(), gradCam.Scores.MoveToOuterDisposeScope(), gradCam.Targets)
        {
            Attributions = attributions.MoveToOuterDisposeScope(),
            RawMaps = [.. gradCam.RawMaps.Select(raw => raw.MoveToOuterDisposeScope())],
            Notes = gradCam.Notes,
        };
    }
}
