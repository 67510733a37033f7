using System.Text.Json;
using Gaze.Tests.Support;

namespace Gaze.Tests.Cli;

/// <summary><c>gaze evaluate</c>: the table, evaluation.json, plots and report, and its one-line errors.</summary>
public sealed class EvaluateCommandTests
{
    private static string SqueezeNet => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    private static string CatAndDog => SharedData.Require("images/cat-and-dog.png");

    private static double Figure(JsonElement row, string name) => row.GetProperty("metrics").GetProperty(name).GetDouble();

    private static JsonElement Baseline(JsonElement document, string name) =>
        document.GetProperty("baselines").EnumerateArray().Single(b => b.GetProperty("name").GetString() == name);

    [Fact]
    public void Grad_cam_is_more_faithful_than_a_random_heatmap_on_the_shapes_model()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("evaluate", "--count", "48", "--method", "gradcam", "--metrics", "deletion,insertion", "--out", output, "--json");
        Assert.True(result.ExitCode == 0, result.Error);

        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        JsonElement gradcam = root.GetProperty("methods")[0];
        JsonElement random = Baseline(root, "random");
        double deletion = Figure(gradcam, "deletion_auc"), insertion = Figure(gradcam, "insertion_auc");
        string figures = $"Grad-CAM deletion {deletion:F3} insertion {insertion:F3}; random deletion {Figure(random, "deletion_auc"):F3} insertion {Figure(random, "insertion_auc"):F3}";
        Assert.True(deletion < Figure(random, "deletion_auc") - 0.05, figures);
        Assert.True(insertion > Figure(random, "insertion_auc") + 0.05, figures);
        // The same document is written beside the curves' plots and the report.
        Assert.Equal(result.Output.Trim(), File.ReadAllText(Path.Combine(output, "evaluation.json")).Trim());
        Assert.True(File.Exists(Path.Combine(output, "deletion.png")));
        Assert.True(File.Exists(Path.Combine(output, "insertion.png")));
        Assert.False(File.Exists(Path.Combine(output, "road-morf.png")));
        Assert.Equal(48, root.GetProperty("per_image").GetArrayLength());
    }

    [Fact]
    public void A_shapes_data_set_scores_localisation_faithfulness_and_the_baselines()
    {
        using var dir = new TempDirectory();
        string data = dir.File("shapes");
        Assert.Equal(0, CliRunner.Run("shapes", "--count", "8", "--seed", "1000", "--out", data).ExitCode);
        string output = dir.File("out");

        var result = CliRunner.Run("evaluate", data, "--method", "cam,gradcam", "--tolerance", "0", "--out", output, "--json");
        Assert.True(result.ExitCode == 0, result.Error);

        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(8, root.GetProperty("images").GetInt32());
        Assert.InRange(root.GetProperty("accuracy").GetDouble(), 0.75, 1);
        string[] figures = ["pointing", "energy", "box_iou", "box_localisation", "mask_iou", "deletion_auc", "insertion_auc",
            "confidence_change", "road_morf", "road_lerf", "road"];
        foreach (JsonElement row in root.GetProperty("methods").EnumerateArray().Concat(root.GetProperty("baselines").EnumerateArray()))
            Assert.Equal(figures.Order(), row.GetProperty("metrics").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["cam", "gradcam"], root.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()));
        Assert.Equal(["random", "centre"], root.GetProperty("baselines").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.True(root.GetProperty("methods")[0].GetProperty("milliseconds").GetDouble() > 0);
        JsonElement first = root.GetProperty("per_image")[0];
        Assert.Equal(["cam", "gradcam"], first.GetProperty("methods").EnumerateObject().Select(p => p.Name));
        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("Worst images per method", report);
        Assert.Contains("road-lerf.png", report);
    }

    [Fact]
    public void Road_can_be_limited_to_the_first_images_and_sanity_verdicts_join_the_table()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");
        var result = CliRunner.Run("evaluate", "--count", "6", "--method", "gradcam", "--metrics", "road", "--road-images", "2",
            "--road-percentiles", "30,60", "--sanity", "4", "--out", output, "--json");
        Assert.True(result.ExitCode == 0, result.Error);

        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        var perImage = root.GetProperty("per_image").EnumerateArray().Select(i => i.GetProperty("methods").GetProperty("gradcam")).ToList();
        Assert.All(perImage.Take(2), figures => Assert.True(figures.TryGetProperty("road", out _)));
        Assert.All(perImage.Skip(2), figures => Assert.False(figures.TryGetProperty("road", out _)));
        JsonElement gradcam = root.GetProperty("methods")[0];
        Assert.Equal(2, gradcam.GetProperty("curves").GetProperty("road_morf").GetArrayLength());
        // Grad-CAM on the shapes CNN passes the randomisation test (its maps follow the weights).
        JsonElement sanity = gradcam.GetProperty("sanity");
        Assert.Equal("pass", sanity.GetProperty("verdict").GetString());
        Assert.Equal(3, sanity.GetProperty("layers_randomised").GetInt32());
        Assert.Contains("| sanity |", File.ReadAllText(Path.Combine(output, "evaluation.md")));
    }

    [Fact]
    public void A_boxes_file_gives_ground_truth_to_real_photos()
    {
        using var dir = new TempDirectory();
        string boxes = dir.File("boxes.json");
        // The dog and the cat of the shared photo (see docs/leaderboard/shared-photos.boxes.json).
        File.WriteAllText(boxes, $$"""
            {"images": [
              {"file": "{{JsonEncodedText.Encode(CatAndDog)}}", "class": 243, "boxes": [[77, 12, 166, 149]]},
              {"file": "{{JsonEncodedText.Encode(CatAndDog)}}", "class": "tabby", "boxes": [[44, 118, 202, 224]]}
            ]}
            """);

        var result = CliRunner.Run("evaluate", "--model", SqueezeNet, "--boxes", boxes, "--method", "gradcam", "--metrics", "pointing,energy",
            "--out", dir.File("out"), "--json");
        Assert.True(result.ExitCode == 0, result.Error);

        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal([243, 281], root.GetProperty("per_image").EnumerateArray().Select(i => i.GetProperty("target").GetInt32()));
        // Grad-CAM's maximum for the bull mastiff lies on the dog (SqueezeNet's tabby map peaks off the cat).
        JsonElement dog = root.GetProperty("per_image")[0].GetProperty("methods").GetProperty("gradcam");
        Assert.Equal(1.0, dog.GetProperty("pointing").GetDouble());
        Assert.True(Figure(root.GetProperty("methods")[0], "energy") > Figure(Baseline(root, "random"), "energy"));
    }

    [Theory]
    [InlineData("missing", "no-such.png")]
    [InlineData("outside", "lies outside")]
    [InlineData("label", "'unicorn'")]
    public void Bad_ground_truth_is_one_line_and_writes_nothing(string problem, string named)
    {
        using var dir = new TempDirectory();
        string boxes = dir.File("boxes.json");
        string entry = problem switch
        {
            "missing" => """{"file": "no-such.png", "class": 243, "boxes": [[0, 0, 10, 10]]}""",
            "outside" => $$"""{"file": "{{JsonEncodedText.Encode(CatAndDog)}}", "class": 243, "boxes": [[0, 0, 300, 10]]}""",
            _ => $$"""{"file": "{{JsonEncodedText.Encode(CatAndDog)}}", "class": "unicorn", "boxes": [[0, 0, 10, 10]]}""",
        };
        File.WriteAllText(boxes, $$"""{"images": [{{entry}}]}""");
        string output = dir.File("out");

        var result = CliRunner.Run("evaluate", "--model", SqueezeNet, "--boxes", boxes, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("--metrics", "deletion,sharpness", "--metrics")]
    [InlineData("--metrics", "pointing", "needs ground truth")]
    [InlineData("--tolerance", "-1", "--tolerance")]
    [InlineData("--steps", "1", "--steps")]
    [InlineData("--baseline", "noise", "--baseline")]
    [InlineData("--window", "8", "--window")]
    [InlineData("--road-percentiles", "0,50", "--road-percentiles")]
    [InlineData("--road-percentiles", "half", "--road-percentiles")]
    [InlineData("--road-images", "0", "--road-images")]
    [InlineData("--sanity", "-2", "--sanity")]
    public void Bad_options_are_one_line_and_write_nothing(string option, string value, string named)
    {
        using var dir = new TempDirectory();
        string output = dir.File("out");

        var result = CliRunner.Run("evaluate", CatAndDog, "--model", SqueezeNet, option, value, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void An_empty_image_set_is_one_line_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        string empty = dir.File("empty");
        Directory.CreateDirectory(empty);
        string output = dir.File("out");

        var result = CliRunner.Run("evaluate", empty, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("empty", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(output));
    }
}
