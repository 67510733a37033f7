using Gaze.Errors;

namespace Gaze.Engine;

/// <summary>The requested <see cref="Precision"/> cannot run on this CPU.</summary>
public sealed class UnsupportedPrecisionException : GazeException
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public UnsupportedPrecisionException(string message) : base(message) { }
}
