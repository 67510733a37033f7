namespace Gaze.Tests.Support;

/// <summary>
/// A folder of 1,000 copies of a small sample image (circle-0000.png ...), made once for the tests that interrupt
/// long runs in a child process (<see cref="SignalCollection"/>); they only read it.
/// </summary>
public sealed class SampleCopies : IDisposable
{
    /// <summary>How many copies.</summary>
    public const int Count = 1000;

    private readonly TempDirectory directory = new();

    /// <summary>Makes the copies.</summary>
    public SampleCopies()
    {
        string sample = RepositoryFiles.Require("assets/samples/circle.png");
        Folder = directory.File("images");
        Directory.CreateDirectory(Folder);
        for (int i = 0; i < Count; i++) File.Copy(sample, Path.Combine(Folder, $"circle-{i:D4}.png"));
    }

    /// <summary>The folder of copies.</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public void Dispose() => directory.Dispose();
}
