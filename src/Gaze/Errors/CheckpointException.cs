namespace Gaze.Errors;

/// <summary>
/// A training checkpoint cannot be resumed: there is none, it is unreadable, or it was made from other data, another
/// backbone or other options. The message starts with the checkpoint's path and names what differs.
/// </summary>
public sealed class CheckpointException : GazeFileException
{
    /// <summary>Creates the exception for the checkpoint at <paramref name="path"/>.</summary>
    public CheckpointException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
