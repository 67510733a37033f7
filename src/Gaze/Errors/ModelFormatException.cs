namespace Gaze.Errors;

/// <summary>A model or its metadata sidecar cannot be read or is not supported.</summary>
public sealed class ModelFormatException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ModelFormatException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
