namespace Gaze.Errors;

/// <summary>A data file (for example a NumPy <c>.npy</c> array) is malformed, truncated or of an unsupported kind.</summary>
public sealed class DataFormatException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public DataFormatException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
