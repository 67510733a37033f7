namespace Gaze.Tests.Support;

/// <summary>Tests that measure the whole process (page faults, memory) and so must not share it with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Runs alone";
}
