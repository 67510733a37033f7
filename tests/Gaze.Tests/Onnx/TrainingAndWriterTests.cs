using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Initializers train, and the writer saves a model ONNX Runtime loads with the trained weights.</summary>
public sealed class TrainingAndWriterTests
{
    [Fact]
    public void After_one_training_step_the_written_model_gives_gazes_outputs_in_onnx_runtime()
    {
        using var dir = new TempDirectory();
        string original = SharedData.Require("models/mnist-cntk.onnx");
        using var graph = OnnxGraph.Load(original);
        var parameters = graph.MakeTrainable();
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(21);
        var batch = rand([4, 1, 28, 28], generator: generator).mul(255);
        var targets = tensor(new long[] { 3, 1, 4, 1 });
        var before = graph.Forward(batch);

        var optimizer = optim.SGD(parameters, 1e-4);
        optimizer.zero_grad();
        using (var run = graph.Run(batch, new RunOptions { Gradients = true }))
        {
            var loss = nn.functional.cross_entropy(run.Scores, targets);
            loss.backward();
        }
        optimizer.step();
        var after = graph.Forward(batch);

        string written = dir.File("mnist-trained.onnx");
        OnnxWriter.Save(graph, written);
        var reference = new List<Tensor>();
        for (int i = 0; i < 4; i++)
            reference.Add(OrtOracle.Run(written, new Dictionary<string, Tensor> { ["Input3"] = batch[i..(i + 1)] })["Plus214_Output_0"]);
        var ort = cat(reference, 0);

        Assert.True(parameters.Count >= 6, $"{parameters.Count} trainable parameters");
        Assert.True(OrtOracle.RelativeDifference(before, after) > 1e-4, "the step changed nothing");
        Assert.True(OrtOracle.RelativeDifference(after, ort) < 1e-5);
        Assert.False(Directory.EnumerateFiles(dir.Path, "*.tmp").Any());
        using var reloaded = OnnxGraph.Load(written);
        Assert.True(OrtOracle.RelativeDifference(reloaded.Forward(batch), after) < 1e-6);
    }

    [Fact]
    public void A_float16_model_is_written_in_float16_and_still_matches_onnx_runtime()
    {
        using var dir = new TempDirectory();
        string original = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        using var graph = OnnxGraph.Load(original);
        string written = dir.File("squeezenet.onnx");

        OnnxWriter.Save(graph, written, ["fire9/concat_1"]);
        var report = ParityCheck.Run(written, new ParityOptions { CheckGradient = false });

        Assert.True(report.Passed, string.Join("; ", report.Outputs.Select(o => $"{o.Name} {o.RelativeDifference:G3}")));
        Assert.Equal(["softmaxout_1", "fire9/concat_1"], report.Outputs.Select(o => o.Name));
        Assert.True(new FileInfo(written).Length < new FileInfo(original).Length * 1.1, "weights were not kept in float16");
    }
}
