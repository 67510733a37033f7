namespace Gaze.Errors;

/// <summary>A tensor given to a model does not fit the model's declared input (rank, channels or element type).</summary>
public sealed class ModelInputException : GazeFileException
{
    /// <summary>Creates the exception for the model at <paramref name="path"/>.</summary>
    public ModelInputException(string path, string problem) : base(path, problem) { }

    /// <summary>Creates the exception for the model at <paramref name="path"/>, caused by <paramref name="inner"/>.</summary>
    public ModelInputException(string path, string problem, Exception inner) : base(path, problem, inner) { }
}
