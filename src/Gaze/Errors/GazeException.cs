namespace Gaze.Errors;

/// <summary>
/// Base of every error Gaze reports about what it was given: a file, a model, an option.
/// Its message is one line, fit to show to a user as it is; the CLI maps it to exit code 2.
/// Any other exception escaping Gaze is a bug (exit code 1).
/// </summary>
public abstract class GazeException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    protected GazeException(string message, Exception? inner = null) : base(message, inner) { }
}
