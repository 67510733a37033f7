using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Tests.Support;

namespace Gaze.Tests.Imaging;

public class ImageFilesTests
{
    [Fact]
    public void Directories_expand_to_their_images_sorted_and_files_stay_in_argument_order()
    {
        using var temp = new TempDirectory();
        foreach (string name in new[] { "b.png", "a.JPG", "c.webp", "notes.txt", "sub/d.gif" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp.File(name))!);
            File.WriteAllBytes(temp.File(name), [1]);
        }
        string explicitFile = temp.File("notes.txt");

        var flat = ImageFiles.Expand([explicitFile, temp.Path, temp.File("b.png")]);
        Assert.Equal([explicitFile, temp.File("a.JPG"), temp.File("b.png"), temp.File("c.webp")], flat);

        var deep = ImageFiles.Expand([temp.Path], recursive: true);
        Assert.Equal([temp.File("a.JPG"), temp.File("b.png"), temp.File("c.webp"), temp.File("sub/d.gif")], deep);
    }

    [Fact]
    public void Missing_argument_is_not_found()
    {
        using var temp = new TempDirectory();
        string missing = temp.File("nothing-here");
        var error = Assert.Throws<InputFileNotFoundException>(() => ImageFiles.Expand([missing]));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Directory_without_images_is_an_error()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("readme.txt"), "no pictures");
        var error = Assert.Throws<GazeFileException>(() => ImageFiles.Expand([temp.Path]));
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("no images", error.Problem);
    }
}
