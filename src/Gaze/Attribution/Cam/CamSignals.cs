namespace Gaze.Attribution.Cam;

/// <summary>What a <see cref="CamMethod"/> needs besides the target layer's activations.</summary>
[Flags]
public enum CamSignals
{
    /// <summary>The activations alone (Eigen-CAM).</summary>
    None = 0,

    /// <summary>The gradients of the target score with respect to the activations.</summary>
    Gradients = 1,

    /// <summary>Scores of modified inputs (Score-CAM).</summary>
    InputScoring = 2,

    /// <summary>Scores of modified activations, re-running only the network after the layer (Ablation-CAM).</summary>
    LayerScoring = 4,

    /// <summary>The weights of the classifier head that follows the layer (the original CAM).</summary>
    ClassifierWeights = 8,
}
