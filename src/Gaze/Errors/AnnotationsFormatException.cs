namespace Gaze.Errors;

/// <summary>An annotations file (<c>annotations.json</c> of a generated data set) is malformed; the message names the file and the field.</summary>
public sealed class AnnotationsFormatException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public AnnotationsFormatException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
