namespace Gaze.Errors;

/// <summary>
/// A training data folder cannot be used (missing, empty, a single class, too few images to hold some out);
/// the message starts with the folder's path.
/// </summary>
public sealed class TrainingDataException : GazeFileException
{
    /// <summary>Creates the exception for the folder <paramref name="path"/>.</summary>
    public TrainingDataException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
