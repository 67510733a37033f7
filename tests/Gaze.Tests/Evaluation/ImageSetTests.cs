using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Evaluation;
using Gaze.Imaging;
using Gaze.Tests.Imaging;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Evaluation;

public class ImageSetTests
{
    private static readonly string[] Labels = ["tabby, tabby cat", "tiger cat", "bull mastiff"];

    /// <summary>A 20x16 picture whose pixels tell it apart by <paramref name="shade"/>.</summary>
    private static RgbImage Picture(byte shade)
    {
        var image = new RgbImage(20, 16);
        Array.Fill(image.Pixels, shade);
        image[3, 4] = (255, 0, 0);
        return image;
    }

    /// <summary>A folder with photos/cat.png, photos/dog.png and photos/other.png (20x16) and a boxes file with <paramref name="json"/>.</summary>
    private static string BoxesFile(TempDirectory directory, string json)
    {
        Directory.CreateDirectory(directory.File("photos"));
        ImageEncoder.Write(directory.File("photos/cat.png"), Picture(10));
        ImageEncoder.Write(directory.File("photos/dog.png"), Picture(20));
        ImageEncoder.Write(directory.File("photos/other.png"), Picture(30));
        string path = directory.File("boxes.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string ThreePhotos = """
        {"images": [
          {"file": "photos/cat.png", "class": "tabby", "boxes": [[0, 0, 10, 10], [5, 5, 20, 16]]},
          {"file": "photos/dog.png", "class": 2, "boxes": [[1, 2, 3, 4]]},
          {"file": "photos/other.png", "boxes": [[0, 0, 1, 1]]}
        ]}
        """;

    [Fact]
    public void A_boxes_file_gives_classes_by_index_or_label_and_the_boxes()
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, ThreePhotos);

        ImageSet set = ImageSet.FromBoxesFile(path, Labels);
        var images = set.Images().ToList();

        Assert.Equal(3, set.Count);
        Assert.False(set.HasClasses); // other.png has none
        Assert.True(set.HasBoxes);
        Assert.False(set.HasMasks);
        Assert.Equal($"{path}: 3 images", set.Description);
        Assert.Equal([0, 2, null], images.Select(i => i.Class));
        Assert.Equal([new BoundingBox(0, 0, 10, 10), new BoundingBox(5, 5, 20, 16)], images[0].Boxes);
        Assert.Equal([new BoundingBox(1, 2, 3, 4)], images[1].Boxes);
        Assert.Equal(Path.Combine(directory.Path, "photos", "dog.png"), images[1].Name);
        Assert.Equal(Picture(20).Pixels, images[1].Image.Pixels);
        Assert.All(images, image => Assert.Null(image.Mask));
    }

    [Theory]
    [InlineData("tabby", 0)]            // a synonym of "tabby, tabby cat"
    [InlineData("TABBY CAT", 0)]
    [InlineData("Tiger Cat", 1)]        // a whole label, any case
    [InlineData("tabby, tabby cat", 0)]
    public void A_class_label_matches_a_whole_label_or_a_synonym_in_any_case(string label, int expected)
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, $$"""{"images": [{"file": "photos/cat.png", "class": "{{label}}", "boxes": [[0, 0, 1, 1]]}]}""");

        Assert.Equal(expected, Assert.Single(ImageSet.FromBoxesFile(path, Labels).Images()).Class);
    }

    [Theory]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 0, "boxes": [[0, 0, 21, 5]]}]}""", "images[0].boxes[0]: [0, 0, 21, 5] lies outside photos/cat.png, which is 20x16")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 0, "boxes": [[0, 10, 5, 17]]}]}""", "[0, 10, 5, 17] lies outside")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 0, "boxes": [[-1, 0, 5, 5]]}]}""", "images[0].boxes[0]: must be [x0, y0, x1, y1]")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 0, "boxes": [[5, 0, 5, 5]]}]}""", "got [5, 0, 5, 5]")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": "tabbby", "boxes": [[0, 0, 1, 1]]}]}""", "images[0].class: 'tabbby' is not one of the model's labels (nearest: tabby,")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 3, "boxes": [[0, 0, 1, 1]]}]}""", "images[0].class: class 3 is outside the model's 3 labels")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 1.5, "boxes": [[0, 0, 1, 1]]}]}""", "must be a class index")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 0, "boxes": []}]}""", "images[0].boxes: is empty")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "class": 0}]}""", "images[0].boxes: is missing")]
    [InlineData("""{"images": [{"class": 0, "boxes": [[0, 0, 1, 1]]}]}""", "images[0].file: is missing")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "box": [0, 0, 1, 1]}]}""", "images[0].box: unknown field")]
    [InlineData("""{"images": []}""", "no images")]
    [InlineData("""{"pictures": []}""", "pictures: unknown field")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "boxes": [[0, 0, 1, 1]]""", "not valid JSON")]
    [InlineData("""{"images": [{"file": "photos/cat.png", "boxes": [[0, 0, 1, 1]]}, {"file": "photos/cat.png", "boxes": [[0, 0, 1, 1]]}]}""", "images[1].file: 'photos/cat.png' is listed twice for the same class")]
    public void A_wrong_boxes_file_is_a_one_line_error_naming_the_file_and_the_field(string json, string expected)
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, json);

        var error = Assert.Throws<DataFormatException>(() => ImageSet.FromBoxesFile(path, Labels));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_listed_image_that_does_not_exist_is_named()
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, """{"images": [{"file": "photos/cat.png", "boxes": [[0, 0, 1, 1]]}, {"file": "photos/missing.png", "boxes": [[0, 0, 1, 1]]}]}""");

        var error = Assert.Throws<InputFileNotFoundException>(() => ImageSet.FromBoxesFile(path, Labels));

        Assert.Equal(Path.Combine(directory.Path, "photos", "missing.png"), error.FilePath);
    }

    [Fact]
    public void A_missing_boxes_file_is_named()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<InputFileNotFoundException>(() => ImageSet.FromBoxesFile(directory.File("boxes.json"), Labels));

        Assert.Equal(directory.File("boxes.json"), error.FilePath);
    }

    [Fact]
    public void Without_labels_classes_must_be_indices()
    {
        using var directory = new TempDirectory();
        string byIndex = BoxesFile(directory, """{"images": [{"file": "photos/cat.png", "class": 281, "boxes": [[0, 0, 1, 1]]}]}""");
        Assert.Equal(281, Assert.Single(ImageSet.FromBoxesFile(byIndex, labels: null).Images()).Class);

        File.WriteAllText(byIndex, """{"images": [{"file": "photos/cat.png", "class": "tabby", "boxes": [[0, 0, 1, 1]]}]}""");
        var error = Assert.Throws<DataFormatException>(() => ImageSet.FromBoxesFile(byIndex, labels: null));

        Assert.Contains("'tabby' is a label, but the model has no labels", error.Message);
    }

    [Fact]
    public void A_label_naming_several_classes_asks_for_the_index()
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, """{"images": [{"file": "photos/cat.png", "class": "crane", "boxes": [[0, 0, 1, 1]]}]}""");

        var error = Assert.Throws<DataFormatException>(() => ImageSet.FromBoxesFile(path, ["crane", "goose", "crane"]));

        Assert.Contains("'crane' names several classes (0 'crane', 2 'crane'); give the class index", error.Message);
    }

    [Fact]
    public void Boxes_are_checked_against_the_upright_size_of_a_turned_jpeg()
    {
        using var directory = new TempDirectory();
        // Stored 30 wide and 20 high, EXIF orientation 6 (a quarter turn): shown 20 wide and 30 high.
        byte[] jpeg = ExifJpeg.WithOrientation(SkiaEncoding.Encode(new RgbImage(30, 20), SKEncodedImageFormat.Jpeg, 90), 6);
        File.WriteAllBytes(directory.File("turned.jpg"), jpeg);
        string path = directory.File("boxes.json");

        File.WriteAllText(path, """{"images": [{"file": "turned.jpg", "boxes": [[0, 0, 20, 30]]}]}""");
        LabelledImage image = Assert.Single(ImageSet.FromBoxesFile(path, null).Images());
        Assert.Equal((20, 30), (image.Image.Width, image.Image.Height));

        File.WriteAllText(path, """{"images": [{"file": "turned.jpg", "boxes": [[0, 0, 30, 20]]}]}""");
        Assert.Contains("which is 20x30", Assert.Throws<DataFormatException>(() => ImageSet.FromBoxesFile(path, null)).Message);
    }

    [Fact]
    public void Images_are_decoded_one_by_one_as_they_are_reached()
    {
        using var directory = new TempDirectory();
        ImageSet set = ImageSet.FromBoxesFile(BoxesFile(directory, ThreePhotos), Labels);
        // Gone after the checks: only reaching it can notice.
        File.Delete(directory.File("photos/dog.png"));

        using IEnumerator<LabelledImage> images = set.Images().GetEnumerator();

        Assert.True(images.MoveNext());
        Assert.Equal(Picture(10).Pixels, images.Current.Image.Pixels);
        Assert.Throws<InputFileNotFoundException>(() => images.MoveNext());
    }

    [Fact]
    public void Only_keeps_the_given_images_in_the_sets_order()
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, ThreePhotos);
        ImageSet set = ImageSet.FromBoxesFile(path, Labels);

        // Compared by full path: a path with a detour names the same file.
        ImageSet two = set.Only([directory.File("photos/other.png"), Path.Combine(directory.Path, "photos", "..", "photos", "cat.png")]);

        Assert.Equal(2, two.Count);
        Assert.Equal($"{path}: 2 of 3 images", two.Description);
        Assert.Equal([0, null], two.Images().Select(i => i.Class));
        Assert.True(two.HasBoxes);
        Assert.False(two.HasClasses);
        Assert.True(set.Only([directory.File("photos/cat.png")]).HasClasses);
    }

    [Fact]
    public void Only_names_an_image_that_is_not_in_the_set()
    {
        using var directory = new TempDirectory();
        string path = BoxesFile(directory, ThreePhotos);
        string stranger = directory.File("photos/stranger.png");

        var error = Assert.Throws<DataFormatException>(() => ImageSet.FromBoxesFile(path, Labels).Only([directory.File("photos/cat.png"), stranger]));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(stranger, error.Message);
    }

    [Fact]
    public void A_shapes_folder_loads_with_classes_boxes_and_masks()
    {
        using var directory = new TempDirectory();
        string root = directory.File("shapes");
        ShapesDataset.Write(root, count: 3, seed: 7, size: ShapesGenerator.MinSize);
        // The model's labels in another order and case: classes are found by name.
        string[] labels = ShapeClassNames.AllNames.Reverse().Select(name => name.ToUpperInvariant()).ToArray();

        ImageSet set = ImageSet.FromShapesFolder(root, labels);
        var images = set.Images().ToList();

        Assert.Equal(3, set.Count);
        Assert.True(set.HasClasses && set.HasBoxes && set.HasMasks);
        Assert.Equal($"{root} (annotations.json)", set.Description);
        var generator = new ShapesGenerator(7, ShapesGenerator.MinSize);
        for (int i = 0; i < 3; i++)
        {
            ShapeSample sample = generator.Generate(i);
            Assert.Equal(ShapeClassNames.Count - 1 - sample.ClassIndex, images[i].Class);
            Assert.Equal([sample.Box], images[i].Boxes);
            Assert.Equal(sample.Image.Pixels, images[i].Image.Pixels);
            Assert.Equal(sample.Mask.Pixels, images[i].Mask!.Pixels);
        }
    }

    [Fact]
    public void A_shapes_folder_with_a_class_the_model_lacks_is_refused_before_any_image_is_decoded()
    {
        using var directory = new TempDirectory();
        string root = directory.File("shapes");
        ShapesDataset.Write(root, count: 2, seed: 7, size: ShapesGenerator.MinSize); // a circle and a cross

        var error = Assert.Throws<DataFormatException>(() => ImageSet.FromShapesFolder(root, ["circle", "square"]));

        Assert.Equal(Path.Combine(root, AnnotationsFile.FileName), error.FilePath);
        Assert.Contains("images[1].class: 'cross' is not one of the model's labels", error.Message);
    }

    [Fact]
    public void A_shapes_folder_with_a_missing_mask_names_it()
    {
        using var directory = new TempDirectory();
        string root = directory.File("shapes");
        ShapesDataset.Write(root, count: 2, seed: 7, size: ShapesGenerator.MinSize);
        File.Delete(Path.Combine(root, "masks", "0001.png"));

        var error = Assert.Throws<InputFileNotFoundException>(() => ImageSet.FromShapesFolder(root, ShapeClassNames.AllNames));

        Assert.EndsWith(Path.Combine("masks", "0001.png"), error.FilePath);
    }

    [Fact]
    public void Generated_shapes_are_counted_classed_by_name_and_made_only_when_reached()
    {
        var generator = new ShapesGenerator(11, ShapesGenerator.MinSize);
        string[] labels = ShapeClassNames.AllNames.Reverse().ToArray();

        ImageSet set = ImageSet.Generated(generator, 10, labels);
        var images = set.Images().ToList();

        Assert.Equal(10, set.Count);
        Assert.Equal(10, images.Count);
        Assert.True(set.HasClasses && set.HasBoxes && set.HasMasks);
        Assert.Equal("generated: 10 shapes, seed 11", set.Description);
        // Classes take turns: sample i is shape i mod 8, which is label 7 - (i mod 8) here.
        Assert.Equal([7, 6, 5, 4, 3, 2, 1, 0, 7, 6], images.Select(i => i.Class));
        ShapeSample fifth = generator.Generate(4);
        Assert.Equal("shape 11/4", images[4].Name);
        Assert.Equal([fifth.Box], images[4].Boxes);
        Assert.Equal(fifth.Mask.Pixels, images[4].Mask!.Pixels);
        Assert.Equal(fifth.Image.Pixels, images[4].Image.Pixels);

        // A set of two billion images costs nothing until walked.
        ImageSet huge = ImageSet.Generated(generator, int.MaxValue, labels);
        Assert.Equal(int.MaxValue, huge.Count);
        Assert.Equal(images[1].Image.Pixels, huge.Images().Skip(1).First().Image.Pixels);
    }

    [Fact]
    public void Generated_shapes_need_labels_for_every_shape_drawn()
    {
        var generator = new ShapesGenerator(11, ShapesGenerator.MinSize);

        // Two samples draw a circle and a cross only.
        Assert.Equal(2, ImageSet.Generated(generator, 2, ["cross", "circle"]).Count);
        var error = Assert.Throws<DataFormatException>(() => ImageSet.Generated(generator, 3, ["cross", "circle"]));
        Assert.Contains("'heart' is not one of the model's labels", error.Message);
    }

    [Fact]
    public void Unlabelled_images_have_no_class_and_no_boxes()
    {
        using var directory = new TempDirectory();
        BoxesFile(directory, "{}");
        string[] paths = [directory.File("photos/cat.png"), directory.File("photos/dog.png")];

        ImageSet set = ImageSet.Unlabelled(paths);
        var images = set.Images().ToList();

        Assert.Equal(2, set.Count);
        Assert.False(set.HasClasses || set.HasBoxes || set.HasMasks);
        Assert.Equal("2 images", set.Description);
        Assert.All(images, image => Assert.Null(image.Class));
        Assert.All(images, image => Assert.Empty(image.Boxes));
        Assert.Equal(paths, images.Select(i => i.Name));
        Assert.Equal(directory.File("nope.png"),
            Assert.Throws<InputFileNotFoundException>(() => ImageSet.Unlabelled([directory.File("nope.png")])).FilePath);
    }
}
