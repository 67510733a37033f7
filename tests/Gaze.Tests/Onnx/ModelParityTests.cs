using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using Xunit.Abstractions;

namespace Gaze.Tests.Onnx;

/// <summary>Every shared model gives ONNX Runtime's outputs, at batch 1 and 4 (the acceptance of <c>gaze check</c>).</summary>
public sealed class ModelParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in new[] { "squeezenet1.1-caffe2-fp16.onnx", "resnet18-random.onnx", "mobilenet_v2-random.onnx",
                     "efficientnet_b0-random.onnx", "mnist-cntk.onnx", "candy-style.onnx" })
        {
            data.Add(model, 1);
            data.Add(model, 4);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outputs_match_onnx_runtime(string model, int batch)
    {
        string path = SharedData.Require("models/" + model);
        var options = new ParityOptions
        {
            Batch = batch,
            Seed = 7,
            Size = model.StartsWith("candy", StringComparison.Ordinal) ? (224, 224) : null,
        };

        var report = ParityCheck.Run(path, options);

        foreach (var o in report.Outputs)
            output.WriteLine($"{o.Name} [{string.Join(",", o.Shape)}]: max|diff| {o.MaxAbsDifference:G3}, relative {o.RelativeDifference:G3}");
        foreach (var note in report.Notes) output.WriteLine(note);
        Assert.Equal(batch, report.Outputs[0].Shape[0]);
        Assert.All(report.Outputs, o => Assert.True(o.RelativeDifference <= report.Tolerance,
            $"{o.Name}: relative difference {o.RelativeDifference:G3} exceeds {report.Tolerance:G3}"));
        Assert.True(report.GradientFinite);
        Assert.True(report.GradientNonZero);
        Assert.True(report.Passed);
    }
}
