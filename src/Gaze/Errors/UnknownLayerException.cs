namespace Gaze.Errors;

/// <summary>A layer (tensor) name that the model does not have; the message suggests the nearest names.</summary>
public sealed class UnknownLayerException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="layer"/> in the model at <paramref name="path"/>.</summary>
    public UnknownLayerException(string path, string layer, IReadOnlyList<string> nearest)
        : base(path, nearest.Count == 0
            ? $"no layer named '{layer}'"
            : $"no layer named '{layer}'; nearest: {string.Join(", ", nearest)}")
    {
        Layer = layer;
        Nearest = nearest;
    }

    /// <summary>The name that was asked for.</summary>
    public string Layer { get; }

    /// <summary>The closest existing names by edit distance, best first.</summary>
    public IReadOnlyList<string> Nearest { get; }
}
