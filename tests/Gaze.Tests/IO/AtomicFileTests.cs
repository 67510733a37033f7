using Gaze.Errors;
using Gaze.IO;
using Gaze.Tests.Support;

namespace Gaze.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void A_failing_writer_leaves_the_old_file_and_no_temporary()
    {
        using var directory = new TempDirectory();
        string path = directory.File("data.bin");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([1, 2, 3]);
            throw new InvalidOperationException("encoder failed half way");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Writes_the_bytes_given()
    {
        using var directory = new TempDirectory();
        string path = directory.File("data.bin");
        AtomicFile.WriteAllBytes(path, [9, 8, 7]);
        Assert.Equal([9, 8, 7], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_directory_in_the_way_is_an_output_file_error()
    {
        using var directory = new TempDirectory();
        string path = directory.File("taken");
        Directory.CreateDirectory(path);
        var error = Assert.Throws<OutputFileException>(() => AtomicFile.WriteAllBytes(path, [1]));
        Assert.Equal(path, error.FilePath);
    }
}
