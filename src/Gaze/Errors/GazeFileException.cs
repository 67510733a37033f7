namespace Gaze.Errors;

/// <summary>A problem with one input file; the message starts with the file's path.</summary>
public class GazeFileException : GazeException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a short <paramref name="problem"/>.</summary>
    public GazeFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file the problem is about, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
