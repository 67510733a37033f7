namespace Gaze.Errors;

/// <summary>An input file (image, model, sidecar, data) does not exist.</summary>
public sealed class InputFileNotFoundException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public InputFileNotFoundException(string path) : base(path, "no such file") { }
}
