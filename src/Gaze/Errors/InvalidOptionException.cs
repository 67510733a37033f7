namespace Gaze.Errors;

/// <summary>An option or argument has a value Gaze cannot use; the message names the option.</summary>
public sealed class InvalidOptionException : GazeException
{
    /// <summary>Creates the exception for <paramref name="option"/> (for example <c>--size</c> or <c>mean</c>).</summary>
    public InvalidOptionException(string option, string problem) : base($"{option}: {problem}")
    {
        Option = option;
    }

    /// <summary>The option's name as the user wrote it.</summary>
    public string Option { get; }
}
