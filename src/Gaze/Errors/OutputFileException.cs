namespace Gaze.Errors;

/// <summary>An output file cannot be written (missing directory, no permission, full disk); the message starts with its path.</summary>
public sealed class OutputFileException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public OutputFileException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
