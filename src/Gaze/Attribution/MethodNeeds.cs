namespace Gaze.Attribution;

/// <summary>
/// What an <see cref="AttributionMethod"/> needs from the model besides one forward pass; the explainer, the
/// benchmark and the registry read it (a method that needs a layer takes <c>--layer</c>).
/// </summary>
[Flags]
public enum MethodNeeds
{
    /// <summary>A forward pass and nothing else.</summary>
    None = 0,

    /// <summary>The activations of the target layers.</summary>
    LayerActivations = 1,

    /// <summary>The gradients of the target score with respect to the target layers' activations.</summary>
    LayerGradients = 2,

    /// <summary>The gradients of the target score with respect to the input.</summary>
    InputGradients = 4,

    /// <summary>Scores of perturbed inputs (forward only).</summary>
    InputScoring = 8,

    /// <summary>Scores of perturbed activations of a layer, re-running only the network after it.</summary>
    LayerScoring = 16,

    /// <summary>A hook on the backward pass of every ReLU (guided backpropagation, deconvnet).</summary>
    ReluHooks = 32,

    /// <summary>The weights of the classifier head that follows the layer.</summary>
    ClassifierWeights = 64,
}
