namespace Gaze.Tests.Support;

/// <summary>
/// The tests that signal the CLI in a child process: they share the <see cref="SampleCopies"/> and run one after
/// another, so that their timing does not depend on each other's load.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SignalCollection : ICollectionFixture<SampleCopies>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Signals";
}
