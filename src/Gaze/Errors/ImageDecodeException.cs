namespace Gaze.Errors;

/// <summary>A file exists but is not a readable image (empty, truncated, or not an image at all).</summary>
public sealed class ImageDecodeException : GazeFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ImageDecodeException(string path, string problem, Exception? inner = null) : base(path, problem, inner) { }
}
