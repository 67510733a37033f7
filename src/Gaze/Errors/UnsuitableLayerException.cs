namespace Gaze.Errors;

/// <summary>A layer of the model exists but cannot serve the requested method (no spatial size, no CAM head ...).</summary>
public sealed class UnsuitableLayerException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="layer"/> of the model at <paramref name="path"/>.</summary>
    public UnsuitableLayerException(string path, string layer, string problem)
        : base(path, $"layer '{layer}' {problem}")
    {
    }
}
