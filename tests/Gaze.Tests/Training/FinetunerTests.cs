using System.Text.Json;
using Gaze.Errors;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using Gaze.Training;
using static TorchSharp.torch;

namespace Gaze.Tests.Training;

/// <summary>The fine-tuning loop on a tiny backbone: checkpoints, resume, unfreezing, the written model.</summary>
public sealed class FinetunerTests
{
    [Fact]
    public void An_interrupted_run_resumes_from_its_checkpoint_and_ends_with_the_weights_of_an_uninterrupted_run()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 64);
        FinetuneOptions Options(string output) => new() { DataDirectory = data, BackbonePath = backbone, OutputPath = output, Epochs = 2, BatchSize = 8, Seed = 3 };

        var straight = new Finetuner(Options(dir.File("straight.onnx"))).Run();

        string resumedPath = dir.File("resumed.onnx");
        using var cancel = new CancellationTokenSource();
        var interrupted = new List<EpochResult>();
        var stopAfterFirst = new FinetuneCallbacks { EpochFinished = e => { interrupted.Add(e); cancel.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => new Finetuner(Options(resumedPath), stopAfterFirst).Run(cancel.Token));

        string checkpoint = resumedPath + ".checkpoint";
        Assert.False(File.Exists(resumedPath));
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "checkpoint.json"))))
            Assert.Equal(1, state.RootElement.GetProperty("epoch").GetInt32());
        Assert.Equal(["state-1.bin"], Directory.GetFiles(checkpoint).Select(Path.GetFileName).Where(f => f!.EndsWith(".bin")));
        Assert.Empty(Directory.GetFiles(checkpoint, "*.tmp", SearchOption.AllDirectories));

        // Starting over by accident is refused; so is resuming with other options.
        var again = Assert.Throws<InvalidOptionException>(() => new Finetuner(Options(resumedPath)).Run());
        Assert.Contains("--resume", again.Message);
        var mismatch = Assert.Throws<CheckpointException>(() => new Finetuner(Options(resumedPath) with { Resume = true, Seed = 4 }).Run());
        Assert.Contains("--seed 3 (now 4)", mismatch.Message);

        var epochsRun = new List<int>();
        var resumed = new Finetuner(Options(resumedPath) with { Resume = true }, new FinetuneCallbacks { EpochFinished = e => epochsRun.Add(e.Epoch) }).Run();

        Assert.Equal(1, resumed.ResumedAfterEpoch);
        Assert.Equal([2], epochsRun);
        Assert.Equal(2, resumed.History.Count);
        Assert.Equal(interrupted[0], resumed.History[0]);
        Assert.Equal(straight.History[1].ValidationLoss, resumed.History[1].ValidationLoss);
        Assert.False(Directory.Exists(checkpoint), "the checkpoint outlived the finished run");
        using var a = OnnxGraph.Load(straight.OutputPath);
        using var b = OnnxGraph.Load(resumed.OutputPath);
        foreach (string name in new[] { "head.weight", "head.bias" })
            Assert.True(a.Initializer(name).allclose(b.Initializer(name), rtol: 0, atol: 0), $"{name} differs from the uninterrupted run's");
    }

    [Fact]
    public void Resuming_after_the_data_changed_is_refused_naming_the_difference()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 32);
        string output = dir.File("out.onnx");
        var options = new FinetuneOptions { DataDirectory = data, BackbonePath = backbone, OutputPath = output, Epochs = 2, BatchSize = 8 };
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Finetuner(options, new FinetuneCallbacks { EpochFinished = _ => cancel.Cancel() }).Run(cancel.Token));
        File.Copy(Directory.GetFiles(Path.Combine(data, "star"))[0], Path.Combine(data, "star", "extra.png"));

        var error = Assert.Throws<CheckpointException>(() => new Finetuner(options with { Resume = true }).Run());

        Assert.StartsWith(output + ".checkpoint: was made with other images", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Head_only_training_changes_only_the_head_and_writes_the_cut_model_with_its_sidecar()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 48);
        string output = dir.File("new.onnx");

        var result = new Finetuner(new FinetuneOptions { DataDirectory = data, BackbonePath = backbone, OutputPath = output, Epochs = 1, BatchSize = 16 }).Run();

        using var original = OnnxGraph.Load(backbone);
        using var tuned = OnnxGraph.Load(output);
        Assert.Equal(["logits"], tuned.OutputNames);
        Assert.Null(tuned.LogitsName);
        Assert.Equal(["conv1", "bn1", "relu1", "pool1", "conv2", "relu2", "head/GlobalAveragePool", "head/Flatten", "head/Gemm"],
            tuned.Model.Graph.Node.Select(n => n.Name));
        Assert.DoesNotContain("fc.weight", tuned.InitializerNames);
        Assert.Equal([8L, 16L], tuned.Initializer("head.weight").shape);
        foreach (string name in original.InitializerNames.Where(n => !n.StartsWith("fc.")))
            Assert.True(original.Initializer(name).allclose(tuned.Initializer(name), rtol: 0, atol: 0), $"{name} changed");
        Assert.Equal(16 * 8 + 8, result.TrainedParameters);

        var metadata = ModelMetadataReader.ReadFor(output);
        Assert.Equal(result.SidecarPath, metadata.SidecarPath);
        Assert.Equal(["circle", "cross", "heart", "hexagon", "ring", "square", "star", "triangle"], metadata.Labels);
        Assert.Equal(FinetuneFixtures.FeatureLayer, metadata.CamLayer);
        Assert.Equal(ModelMetadataReader.ReadFor(backbone).Input, metadata.Input);
        Assert.Equal("tiny test backbone fine-tuned on data", metadata.Name);
        Assert.Equal((40, 8), (result.TrainImages, result.ValidationImages));

        // What the file computes is what the engine trained: the head over the pooled layer.
        using var scope = NewDisposeScope();
        var input = randn(4, 3, 32, 32, generator: new TorchSharp.torch.Generator(1));
        using var run = tuned.Run(input, new RunOptions { Capture = [FinetuneFixtures.FeatureLayer] });
        var expected = nn.functional.linear(run[FinetuneFixtures.FeatureLayer].mean([2, 3]), tuned.Initializer("head.weight"), tuned.Initializer("head.bias"));
        Assert.True(run.Scores.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.True(ParityCheck.Run(output, new ParityOptions { Batch = 2 }).Passed);
    }

    [Fact]
    public void Unfreezing_the_last_node_trains_its_weights_but_not_earlier_ones_nor_batch_norm_statistics()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 40);
        string output = dir.File("new.onnx");

        var result = new Finetuner(new FinetuneOptions { DataDirectory = data, BackbonePath = backbone, OutputPath = output, Epochs = 1, BatchSize = 8, UnfreezeLast = 1 }).Run();

        using var original = OnnxGraph.Load(backbone);
        using var tuned = OnnxGraph.Load(output);
        bool Same(string name) => original.Initializer(name).allclose(tuned.Initializer(name), rtol: 0, atol: 0);
        Assert.False(Same("conv2.weight"), "conv2.weight did not train");
        Assert.False(Same("conv2.bias"), "conv2.bias did not train");
        foreach (string name in new[] { "conv1.weight", "conv1.bias", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var" })
            Assert.True(Same(name), $"{name} changed");
        Assert.Equal(16 * 8 * 9 + 16 + 16 * 8 + 8, result.TrainedParameters);
        Assert.True(ParityCheck.Run(output).Passed);
    }

    [Fact]
    public void Unfreezing_more_nodes_than_the_backbone_has_names_the_option()
    {
        using var dir = new TempDirectory();
        string backbone = FinetuneFixtures.WriteTinyBackbone(dir.Path);
        string data = FinetuneFixtures.WriteShapes(dir.File("data"), 16);

        // conv1, bn1 and conv2 have weights before the layer.
        var error = Assert.Throws<InvalidOptionException>(() =>
            new Finetuner(new FinetuneOptions { DataDirectory = data, BackbonePath = backbone, OutputPath = dir.File("x.onnx"), UnfreezeLast = 4 }).Run());

        Assert.Equal("--unfreeze-last: the backbone has only 3 nodes with weights up to layer 'features', asked for 4", error.Message);
        Assert.False(File.Exists(dir.File("x.onnx")));
    }
}
