namespace Gaze.Errors;

/// <summary>
/// The scores cannot be computed from a layer alone: the network reaches the score around that layer (a skip
/// connection, a second branch) or does not pass through it at all. Re-running "only what comes after the layer"
/// is then impossible.
/// </summary>
public sealed class LayerBypassedException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="layer"/> of the model at <paramref name="path"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="layer">The tensor the scores were to be computed from.</param>
    /// <param name="score">The score tensor.</param>
    /// <param name="bypass">A tensor that reaches the score without passing through <paramref name="layer"/>, or
    /// null when the score does not depend on <paramref name="layer"/> at all.</param>
    public LayerBypassedException(string path, string layer, string score, string? bypass)
        : base(path, bypass is null
            ? $"the network does not pass through '{layer}' on the way to the score '{score}'"
            : $"the network does not pass through '{layer}' alone: tensor '{bypass}' reaches the score '{score}' around it (a skip connection or another branch), so the scores cannot be computed from '{layer}'")
    {
        Layer = layer;
        Bypass = bypass;
    }

    /// <summary>The tensor the scores were to be computed from.</summary>
    public string Layer { get; }

    /// <summary>A tensor that reaches the score around <see cref="Layer"/>; null when the score does not depend on it.</summary>
    public string? Bypass { get; }
}
