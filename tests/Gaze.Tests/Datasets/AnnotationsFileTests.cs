using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Tests.Support;

namespace Gaze.Tests.Datasets;

public class AnnotationsFileTests
{
    private static AnnotationSet Example(string directory) => new(
        ["circle", "star", "ünïcode \"quoted\""],
        [
            new ImageAnnotation("circle/0000.png", "circle", new BoundingBox(3, 4, 50, 61), "masks/0000.png"),
            new ImageAnnotation("star/0001.png", "star", new BoundingBox(0, 0, 128, 128), null),
            new ImageAnnotation("other/x.png", "ünïcode \"quoted\"", new BoundingBox(10, 20, 11, 21), "masks/x.png"),
        ],
        directory);

    private static void AssertSame(AnnotationSet expected, AnnotationSet actual)
    {
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.Images, actual.Images); // records: field by field
        Assert.Equal(expected.Directory, actual.Directory);
    }

    [Fact]
    public void Written_annotations_read_back_identically()
    {
        using var directory = new TempDirectory();
        var annotations = Example(directory.Path);
        string path = directory.File(AnnotationsFile.FileName);
        AnnotationsFile.Write(path, annotations);

        AssertSame(annotations, AnnotationsFile.Read(path));
        // A directory stands for the annotations file inside it.
        AssertSame(annotations, AnnotationsFile.Read(directory.Path));
    }

    [Fact]
    public void The_file_has_the_documented_shape_one_image_per_line()
    {
        string text = AnnotationsFile.Format(Example("/data"));
        string[] lines = text.Split('\n');
        Assert.Equal("{", lines[0]);
        Assert.Equal("  \"classes\": [\"circle\", \"star\", \"ünïcode \\\"quoted\\\"\"],", lines[1]);
        Assert.Equal("  \"images\": [", lines[2]);
        Assert.Equal("    {\"file\": \"circle/0000.png\", \"class\": \"circle\", \"box\": [3, 4, 50, 61], \"mask\": \"masks/0000.png\"},", lines[3]);
        Assert.Equal("    {\"file\": \"star/0001.png\", \"class\": \"star\", \"box\": [0, 0, 128, 128]},", lines[4]);
        Assert.Equal("  ]", lines[6]);
    }

    [Fact]
    public void Paths_resolve_against_the_annotations_directory()
    {
        var annotations = AnnotationsFile.Parse(AnnotationsFile.Format(Example("ignored")), Path.Combine("/data", "set", "annotations.json"));
        Assert.Equal(Path.GetFullPath("/data/set"), annotations.Directory);
        Assert.Equal(Path.Combine(Path.GetFullPath("/data/set"), "circle", "0000.png"), annotations.PathOf(annotations.Images[0].File));
        Assert.Equal(1, annotations.ClassIndexOf(annotations.Images[1]));
    }

    [Theory]
    [InlineData("not json", "not valid JSON at line 1")]
    [InlineData("[]", "(top level): must be a JSON object")]
    [InlineData("""{"images": []}""", "classes: is missing")]
    [InlineData("""{"classes": ["a"]}""", "images: is missing")]
    [InlineData("""{"classes": [], "images": []}""", "classes: is empty")]
    [InlineData("""{"classes": ["a", "a"], "images": []}""", "classes[1]: 'a' is listed twice")]
    [InlineData("""{"classes": [3], "images": []}""", "classes[0]: must be a string")]
    [InlineData("""{"classes": ["a"], "images": []}""", "images: is empty")]
    [InlineData("""{"classes": ["a"], "images": {}}""", "images: must be an array")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "b", "box": [0, 0, 1, 1]}]}""", "images[0].class: 'b' is not one of the classes")]
    [InlineData("""{"classes": ["a"], "images": [{"class": "a", "box": [0, 0, 1, 1]}]}""", "images[0].file: is missing")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "", "class": "a", "box": [0, 0, 1, 1]}]}""", "images[0].file: is empty")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a"}]}""", "images[0].box: is missing")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a", "box": [0, 0, 1]}]}""", "images[0].box: must be [x0, y0, x1, y1]")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a", "box": [0, 0, 1.5, 2]}]}""", "images[0].box: must be [x0, y0, x1, y1]")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a", "box": [5, 0, 5, 2]}]}""", "got [5, 0, 5, 2]")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a", "box": [0, 0, 1, 1], "mask": 3}]}""", "images[0].mask: must be a string")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a", "box": [0, 0, 1, 1], "boxes": []}]}""", "images[0].boxes: unknown field")]
    [InlineData("""{"classes": ["a"], "images": [{"file": "x.png", "class": "a", "box": [0, 0, 1, 1]}, {"file": "x.png", "class": "a", "box": [0, 0, 1, 1]}]}""", "images[1].file: 'x.png' is listed twice")]
    [InlineData("""{"classes": ["a"], "images": [], "extra": 1}""", "extra: unknown field")]
    public void Malformed_annotations_name_the_file_and_the_field(string json, string expected)
    {
        using var directory = new TempDirectory();
        string path = directory.File(AnnotationsFile.FileName);
        File.WriteAllText(path, json);
        var error = Assert.Throws<AnnotationsFormatException>(() => AnnotationsFile.Read(path));
        Assert.IsAssignableFrom<GazeFileException>(error);
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_as_such()
    {
        using var directory = new TempDirectory();
        Assert.Throws<InputFileNotFoundException>(() => AnnotationsFile.Read(directory.File("nope.json")));
        // An existing directory without annotations.json inside.
        var error = Assert.Throws<InputFileNotFoundException>(() => AnnotationsFile.Read(directory.Path));
        Assert.Contains(AnnotationsFile.FileName, error.Message);
    }
}
