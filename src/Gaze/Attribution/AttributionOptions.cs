using Gaze.Models;

namespace Gaze.Attribution;

/// <summary>How an <see cref="Explainer"/> computes its maps; each method reads the settings that apply to it.</summary>
public sealed record AttributionOptions
{
    /// <summary>The defaults: no smoothing, perturbations scored 32 at a time on the fastest engine.</summary>
    public static AttributionOptions Default { get; } = new();

    /// <summary>CAM methods: replace the sum over channels by the first principal component of the weighted activations.</summary>
    public bool EigenSmooth { get; init; }

    /// <summary>
    /// CAM methods: average the maps over horizontal flips and brightness factors 0.9, 1.0 and 1.1 of the input (six
    /// runs), as pytorch-grad-cam's aug_smooth does.
    /// </summary>
    public bool AugSmooth { get; init; }

    /// <summary>How many perturbed inputs or activations are scored at once.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// The layout of the model's input, in which an explainer takes its input (as the preprocessor makes it). Maps
    /// are computed on an NCHW view; for an NHWC model (a Keras export) every run of the graph gets the model's
    /// layout back.
    /// </summary>
    public TensorLayout InputLayout { get; init; } = TensorLayout.NCHW;

    /// <summary>
    /// How images become the model's input tensors, for methods that make reference inputs (a black image through
    /// the model's own preprocessing, an image file as baseline); null means the defaults of <see cref="ModelInput"/>.
    /// </summary>
    public ModelInput? Input { get; init; }

    /// <summary>
    /// Score perturbations (forward only) with ONNX Runtime, which runs convolutions faster than libtorch on CPU;
    /// false keeps all work on Gaze's own graph. The maps agree either way, up to floating-point rounding.
    /// </summary>
    public bool ScoreWithOnnxRuntime { get; init; } = true;

    /// <summary>
    /// Gradient methods (Grad-CAM and its relatives): run the network before the target layers on ONNX Runtime,
    /// forward only, and only the part after them on Gaze's graph, where the gradients with respect to the layers are
    /// taken; false runs the whole network on Gaze's graph. The maps agree either way, up to floating-point rounding.
    /// A model that cannot be cut (several or non-float inputs, a layer that is the input, ONNX Runtime rejecting the
    /// part) falls back to the whole graph; <see cref="Explanation.Notes"/> says which way a map was computed.
    /// </summary>
    public bool GradientsFromOnnxRuntimePrefix { get; init; } = true;
}
