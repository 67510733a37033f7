using Gaze.Engine;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using Xunit.Abstractions;

namespace Gaze.Tests.Onnx;

/// <summary>
/// Every shared model gives ONNX Runtime's outputs, at batch 1 and 4 in float32 and at batch 1 in bfloat16 with its
/// own tolerance (the acceptance of <c>gaze check</c>).
/// </summary>
public sealed class ModelParityTests(ITestOutputHelper output)
{
    private static readonly string[] Models = ["squeezenet1.1-caffe2-fp16.onnx", "resnet18-random.onnx", "mobilenet_v2-random.onnx",
        "efficientnet_b0-random.onnx", "mnist-cntk.onnx", "candy-style.onnx"];

    public static TheoryData<string, int, Precision> Cases()
    {
        var data = new TheoryData<string, int, Precision>();
        foreach (var model in Models)
        {
            data.Add(model, 1, Precision.Float32);
            data.Add(model, 4, Precision.Float32);
            data.Add(model, 1, Precision.BFloat16);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outputs_match_onnx_runtime(string model, int batch, Precision precision)
    {
        string path = SharedData.Require("models/" + model);
        var options = new ParityOptions
        {
            Batch = batch,
            Seed = 7,
            Size = model.StartsWith("candy", StringComparison.Ordinal) ? (224, 224) : null,
            Precision = precision,
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
        Assert.Equal(precision == Precision.BFloat16 ? ParityReport.BFloat16Tolerance : model.Contains("fp16") ? 2e-3 : 1e-4, report.Tolerance);
    }

    [Theory]
    [InlineData("resnet18-random.onnx")]
    [InlineData("mobilenet_v2-random.onnx")]
    public void Bfloat16_changes_the_numbers_but_not_beyond_its_tolerance(string model)
    {
        // A bf16 run that silently computed in float32 would pass the parity check too; its outputs must differ.
        string path = SharedData.Require("models/" + model);
        var fp32 = ParityCheck.Run(path, new ParityOptions { Seed = 3 });
        var bf16 = ParityCheck.Run(path, new ParityOptions { Seed = 3, Precision = Precision.BFloat16 });

        output.WriteLine($"relative difference to ONNX Runtime: fp32 {fp32.Outputs[0].RelativeDifference:G3}, bf16 {bf16.Outputs[0].RelativeDifference:G3}");
        Assert.True(bf16.Outputs[0].RelativeDifference > 10 * Math.Max(fp32.Outputs[0].RelativeDifference, 1e-6));
        Assert.True(bf16.Passed);
    }
}
