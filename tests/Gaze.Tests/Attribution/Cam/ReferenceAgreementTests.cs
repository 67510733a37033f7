using System.Text.Json;
using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Cam;

/// <summary>
/// Gaze's maps against pytorch-grad-cam's on the same network and input. Reference/pytorch-grad-cam-squeezenet.json
/// holds the reference's outputs: pytorch-grad-cam (commit named in the file) on torchvision's squeezenet1_1
/// carrying the weights of ../shared/models/squeezenet1.1-caffe2-fp16.onnx (its logits match the ONNX model's),
/// fed cat-and-dog.png in the sidecar's convention, target layer features[12] = fire9/concat_1. It stores the raw
/// 13x13 maps of every method for classes 243 and 281, and final 224x224 heatmaps sampled every 8 pixels (from 4)
/// for plain, aug-smoothed, eigen-smoothed and two-layer (fire8 + fire9) Grad-CAM. The Python that produced it is
/// kept outside the project.
/// </summary>
public sealed class ReferenceAgreementTests
{
    private const string Layer = "fire9/concat_1";
    private static readonly Lazy<JsonDocument> Reference = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Attribution", "Cam", "Reference", "pytorch-grad-cam-squeezenet.json"))));

    public static TheoryData<string, int> Methods()
    {
        var data = new TheoryData<string, int>();
        foreach (int target in new[] { 243, 281 })
            foreach (string method in new[] { "gradcam", "gradcam++", "xgradcam", "hirescam", "gradcam-elementwise", "layercam", "scorecam", "ablationcam", "eigencam", "eigengradcam" })
                data.Add(method, target);
        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Raw_maps_correlate_with_the_reference(string method, int target)
    {
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(Model);
        using var explainer = new CamExplainer(graph, [Layer]);
        float[] ours = explainer.RawMaps(Input(), [target], ((CamAttribution)MethodRegistry.Default.Get(method)).Cam)[0].flatten().data<float>().ToArray();
        float[] reference = Grid(Reference.Value.RootElement.GetProperty("raw").GetProperty(target.ToString()).GetProperty(method));

        double r = Correlation.Pearson(ours, reference);
        // Eigen-CAM's sign is arbitrary in the reference (Gaze fixes it), so only its magnitude must agree.
        if (method.StartsWith("eigen", StringComparison.Ordinal)) r = Math.Abs(r);
        Assert.True(r >= 0.99, $"{method} for {target}: Pearson {r:F5}");
        Assert.Equal(Array.IndexOf(reference, reference.Max()), Array.IndexOf(ours, ours.Max()));
    }

    [Theory]
    [InlineData("gradcam", 243)]
    [InlineData("gradcam-aug", 243)]
    [InlineData("gradcam-eigen", 243)]
    [InlineData("gradcam-two-layers", 243)]
    [InlineData("gradcam", 281)]
    [InlineData("gradcam-aug", 281)]
    [InlineData("gradcam-eigen", 281)]
    [InlineData("gradcam-two-layers", 281)]
    public void Heatmaps_with_smoothing_and_several_layers_match_the_reference(string variant, int target)
    {
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(Model);
        var options = new AttributionOptions { AugSmooth = variant == "gradcam-aug", EigenSmooth = variant == "gradcam-eigen" };
        string[] layers = variant == "gradcam-two-layers" ? ["fire8/concat_1", Layer] : [Layer];
        using var explainer = new CamExplainer(graph, layers, options);
        Tensor heat = explainer.Heatmaps(Input(), [target], new GradCam())[0];
        float[] ours = heat[TensorIndex.Slice(4, 224, 8), TensorIndex.Slice(4, 224, 8)].contiguous().data<float>().ToArray();
        float[] reference = Grid(Reference.Value.RootElement.GetProperty("heatmap28").GetProperty(target.ToString()).GetProperty(variant));

        Assert.Equal(784, ours.Length);
        double r = Correlation.Pearson(ours, reference);
        double worst = ours.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(r >= 0.99, $"{variant} for {target}: Pearson {r:F5}");
        Assert.True(worst < 0.05, $"{variant} for {target}: largest difference {worst:F4}");
    }

    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    private static Tensor Input() =>
        new ImagePreprocessor(ModelMetadataReader.ReadFor(Model).Input!).Preprocess(ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png")));

    private static float[] Grid(JsonElement rows) =>
        rows.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
}
