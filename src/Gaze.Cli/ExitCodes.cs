namespace Gaze.Cli;

/// <summary>The exit codes of <c>gaze</c>, the same for every command.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure inside Gaze (a bug or a broken installation).</summary>
    public const int Failure = 1;

    /// <summary>The user's input was wrong: a bad option, a missing or unreadable file, an unsupported format.</summary>
    public const int UsageError = 2;

    /// <summary>A check ran and found a difference beyond its tolerance (<c>gaze check</c>).</summary>
    public const int CheckFailed = 3;

    /// <summary>Some inputs were processed and some failed (each failure was reported).</summary>
    public const int PartialSuccess = 4;

    /// <summary>Interrupted by the user (Ctrl+C, SIGINT): 128 + 2, as a shell reports it.</summary>
    public const int Interrupted = 130;

    /// <summary>Asked to stop (SIGTERM): 128 + 15.</summary>
    public const int Terminated = 143;
}
