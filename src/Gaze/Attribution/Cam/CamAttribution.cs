using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// A <see cref="CamMethod"/> as an <see cref="AttributionMethod"/>: the CAM keeps its terse form (a few lines of
/// math over <see cref="LayerSignals"/>), and the context's shared <see cref="CamExplainer"/> feeds it.
/// </summary>
/// <param name="cam">The CAM.</param>
/// <param name="summary">One line for <c>--help</c>.</param>
public sealed class CamAttribution(CamMethod cam, string summary) : AttributionMethod
{
    private static readonly IReadOnlyList<MethodOption> CamOptions = [MethodOption.Layer, MethodOption.AugSmooth, MethodOption.EigenSmooth];

    /// <summary>The CAM it runs.</summary>
    public CamMethod Cam { get; } = cam;

    /// <inheritdoc />
    public override string Name => Cam.Name;

    /// <inheritdoc />
    public override string Summary { get; } = summary;

    /// <inheritdoc />
    public override MethodNeeds Needs
    {
        get
        {
            var needs = MethodNeeds.LayerActivations;
            if (Cam.Needs.HasFlag(CamSignals.Gradients)) needs |= MethodNeeds.LayerGradients;
            if (Cam.Needs.HasFlag(CamSignals.InputScoring)) needs |= MethodNeeds.InputScoring;
            if (Cam.Needs.HasFlag(CamSignals.LayerScoring)) needs |= MethodNeeds.LayerScoring;
            if (Cam.Needs.HasFlag(CamSignals.ClassifierWeights)) needs |= MethodNeeds.ClassifierWeights;
            return needs;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options => CamOptions;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets) =>
        context.Shared(c => new CamExplainer(c)).ExplainChannelsFirst(input, targets, Cam);
}
