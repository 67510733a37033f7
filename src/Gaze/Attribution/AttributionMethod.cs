using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// Anything that explains images for target classes: a CAM, a gradient or a perturbation attribution. A method
/// states its math in <see cref="Explain"/> over the plumbing of an <see cref="AttributionContext"/> (forward and
/// backward passes, captured layers, scoring of perturbed inputs); the explainer, the report run, the benchmark and
/// the evaluation treat every method alike. Register a new method with one line in <c>MethodRegistry</c>.
/// </summary>
public abstract class AttributionMethod
{
    /// <summary>The method's command-line name, e.g. <c>gradcam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>--help</c>: what the method computes, with its paper.</summary>
    public abstract string Summary { get; }

    /// <summary>What the method needs from the model.</summary>
    public abstract MethodNeeds Needs { get; }

    /// <summary>The method-specific options it takes (e.g. <see cref="MethodOption.Layer"/>).</summary>
    public virtual IReadOnlyList<MethodOption> Options => [];

    /// <summary>
    /// This method with the values the user gave for its options (<see cref="Options"/>); methods without valued
    /// options return themselves. Called before any image is read, so that a bad value is an error at once.
    /// </summary>
    /// <exception cref="Errors.InvalidOptionException">A value the method cannot use (names the option).</exception>
    public virtual AttributionMethod Configure(MethodSettings settings) => this;

    /// <summary>
    /// The network passes one image costs beyond the first forward pass, as the method batches them (e.g. 64
    /// forward and backward passes in batches of 32 for Integrated Gradients); null for methods of a fixed few passes.
    /// The benchmark times these passes alone, as the yardstick of the method's overhead. A method rather than a
    /// property because the count can depend on the input's size (occlusion's windows) and the batch on the context.
    /// </summary>
    /// <param name="context">The context the method runs in (its <see cref="AttributionOptions.BatchSize"/>).</param>
    /// <param name="height">The input's height in pixels.</param>
    /// <param name="width">The input's width in pixels.</param>
    public virtual RequiredRuns? RunsPerImage(AttributionContext context, long height, long width) => null;

    /// <summary>Whether the method works on target layers (and so needs <see cref="AttributionContext.Layers"/>).</summary>
    public bool UsesLayers => Options.Contains(MethodOption.Layer);

    /// <summary>
    /// Explains <paramref name="input"/> (a preprocessed NCHW batch) for the targets that <paramref name="targets"/>
    /// picks from the scores of the method's own forward pass.
    /// </summary>
    /// <param name="context">The model and the plumbing around it.</param>
    /// <param name="input">The batch, channels first (the context converts to the model's layout for each run).</param>
    /// <param name="targets">Which class to explain for each image.</param>
    /// <returns>Heatmaps at the input's size, the scores of the forward pass and the targets explained.</returns>
    public abstract Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets);
}
