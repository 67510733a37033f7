using Gaze.Errors;
using Gaze.Models;
using Gaze.Tests.Support;
using Gaze.Training;

namespace Gaze.Tests.Training;

/// <summary>The data side of fine-tuning: class folders, the validation split and the sidecar it writes.</summary>
public sealed class FinetuneDataTests
{
    [Fact]
    public void Classes_are_the_sorted_folders_with_images_not_the_masks_nor_other_files()
    {
        using var dir = new TempDirectory();
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 24);
        Directory.CreateDirectory(Path.Combine(data, "no-images"));
        File.WriteAllText(Path.Combine(data, "no-images", "readme.txt"), "x");
        File.WriteAllText(Path.Combine(data, "star", "labels.csv"), "x");
        Directory.CreateDirectory(Path.Combine(data, ".cache"));
        File.Copy(Directory.GetFiles(Path.Combine(data, "star"), "*.png")[0], Path.Combine(data, ".cache", "a.png"));

        var folder = ImageFolder.Scan(data);

        Assert.Equal(["circle", "cross", "heart", "hexagon", "ring", "square", "star", "triangle"], folder.Classes);
        Assert.Equal(24, folder.Images.Count);
        Assert.All(folder.Images, i => Assert.Equal(folder.Classes[i.ClassIndex], Path.GetFileName(Path.GetDirectoryName(i.Path))));
        Assert.All(folder.Images, i => Assert.EndsWith(".png", i.Path));
    }

    [Fact]
    public void A_masks_folder_is_a_class_when_the_folder_is_not_a_generated_data_set()
    {
        using var dir = new TempDirectory();
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);
        File.Delete(Path.Combine(data, "annotations.json"));

        Assert.Contains("masks", ImageFolder.Scan(data).Classes);
    }

    [Fact]
    public void The_split_holds_out_each_classes_share_and_is_the_same_for_the_same_seed()
    {
        using var dir = new TempDirectory();
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 80);
        var folder = ImageFolder.Scan(data);

        var split = folder.Split(folder.Images, 0.2, seed: 1);
        var again = folder.Split(folder.Images, 0.2, seed: 1);
        var other = folder.Split(folder.Images, 0.2, seed: 2);

        Assert.Equal(16, split.Validation.Count);
        Assert.Equal(64, split.Train.Count);
        Assert.All(split.Validation.GroupBy(i => i.ClassIndex), g => Assert.Equal(2, g.Count()));
        Assert.Empty(split.Train.Intersect(split.Validation));
        Assert.Equal(split.Validation, again.Validation);
        Assert.NotEqual(split.Validation, other.Validation);
    }

    [Fact]
    public void A_missing_folder_and_loose_images_are_clear_errors()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<TrainingDataException>(() => ImageFolder.Scan(dir.File("nothing")));
        Assert.Equal($"{dir.File("nothing")}: no such folder", missing.Message);

        string loose = Directory.CreateDirectory(dir.File("loose")).FullName;
        File.WriteAllBytes(Path.Combine(loose, "a.png"), [1, 2, 3]);
        var error = Assert.Throws<TrainingDataException>(() => ImageFolder.Scan(loose));
        Assert.Contains("holds images but no class folders", error.Message);
    }

    [Fact]
    public void The_written_sidecar_reads_back_as_written()
    {
        using var dir = new TempDirectory();
        var metadata = new ModelMetadata
        {
            Name = "shapes on \"squeezenet\"",
            Input = ModelInput.Default with { Size = new InputSize(224, 200), Channels = ChannelOrder.BGR, Range = 255, Mean = [104, 117, 123], Std = [1], Resize = ResizeMode.Stretch },
            Labels = ["circle", "star"],
            CamLayer = "fire9/concat_1",
        };

        string sidecar = ModelMetadataWriter.WriteFor(dir.File("m.onnx"), metadata);

        Assert.Equal(dir.File("m.gaze.json"), sidecar);
        var read = ModelMetadataReader.Read(sidecar);
        Assert.Equal(metadata with { SidecarPath = sidecar }, read with { Labels = metadata.Labels, InputParts = null });
        // Every part is written, so none is left for the graph to decide.
        Assert.Equal(InputParts.All, read.InputParts);
        Assert.Equal(metadata.Labels, ModelMetadataReader.Read(sidecar).Labels);
    }
}
