namespace Gaze.Engine;

/// <summary>The native compute engine (libtorch) could not be loaded or does not work on this machine.</summary>
public sealed class EngineUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
