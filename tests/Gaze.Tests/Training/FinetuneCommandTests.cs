using System.Text.Json;
using Gaze.Tests.Support;

namespace Gaze.Tests.Training;

/// <summary><c>gaze finetune</c>: what it prints, and the one-line errors and warnings for bad data and layers.</summary>
public sealed class FinetuneCommandTests
{
    [Fact]
    public void An_empty_data_folder_is_a_one_line_error_naming_it()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = Directory.CreateDirectory(dir.File("empty")).FullName;

        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--out", dir.File("new.onnx"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gaze: {data}: holds no class folders with images (expected DIR/<class>/<image>)", result.Error.Trim());
        Assert.False(File.Exists(dir.File("new.onnx")));
    }

    [Fact]
    public void A_folder_with_one_class_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);
        foreach (string folder in Directory.GetDirectories(data).Where(d => !d.EndsWith("star") && !d.EndsWith("masks")))
            Directory.Delete(folder, recursive: true);

        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--out", dir.File("new.onnx"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gaze: {data}: has only one class folder with images ('star'); fine-tuning needs at least two classes", result.Error.Trim());
    }

    [Fact]
    public void Unreadable_images_are_skipped_with_one_warning_that_counts_them_and_training_goes_on()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 32);
        File.WriteAllText(Path.Combine(data, "circle", "0000-broken.png"), "not a png");
        File.WriteAllBytes(Path.Combine(data, "ring", "empty.jpg"), []);
        File.WriteAllText(Path.Combine(data, "ring", "notes.txt"), "ignored: not an image file");

        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--out", dir.File("new.onnx"), "--epochs", "1", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        string[] warnings = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string warning = Assert.Single(warnings);
        Assert.StartsWith("gaze: warning: skipped 2 unreadable image(s) of 34; first: ", warning);
        Assert.Contains("0000-broken.png", warning);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("skipped_images").GetInt32());
        Assert.Equal(32, json.RootElement.GetProperty("train_images").GetInt32() + json.RootElement.GetProperty("validation_images").GetInt32());
        Assert.True(File.Exists(dir.File("new.onnx")));
    }

    [Theory]
    [InlineData(FinetuneFixtures.FlatLayer, "layer 'flat' has no spatial dimensions")]
    [InlineData(FinetuneFixtures.PooledLayer, "layer 'pooled' has a 1x1 spatial size (shape [1,16,1,1])")]
    [InlineData("featurs", "no layer named 'featurs'; nearest: features")]
    public void A_layer_without_spatial_size_or_an_unknown_one_is_a_one_line_error(string layer, string expected)
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);

        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--layer", layer, "--out", dir.File("new.onnx"));

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gaze: {backbone}: ", line);
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(dir.File("new.onnx.checkpoint")));
    }

    [Fact]
    public void Resume_without_a_checkpoint_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);

        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--out", dir.File("new.onnx"), "--resume");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gaze: {dir.File("new.onnx")}.checkpoint: holds no checkpoint to resume; run without --resume to start", result.Error.Trim());
    }

    [Fact]
    public void Each_epoch_prints_its_loss_and_accuracy_then_a_summary()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 32);

        var result = CliRunner.Run("finetune", data, "--backbone", backbone, "--out", dir.File("new.onnx"), "--epochs", "2", "--batch", "8");

        Assert.True(result.ExitCode == 0, result.Error);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^epoch 1/2: loss \d+\.\d{4}, accuracy \d+\.\d %; validation loss \d+\.\d{4}, accuracy \d+\.\d % \(\d+\.\d s\)$", lines[0]);
        Assert.StartsWith("epoch 2/2: ", lines[1]);
        Assert.Equal("8 classes, 24 training and 8 validation images (0 skipped); layer 'features'", lines[2]);
        Assert.Matches(@"^validation accuracy \d+\.\d % after 2 epoch\(s\), .* wrote .*new\.onnx and .*new\.gaze\.json$", lines[3]);
    }
}
