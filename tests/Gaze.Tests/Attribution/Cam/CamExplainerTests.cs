using Gaze.Attribution.Cam;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Cam;

/// <summary>Gradient CAMs on the real SqueezeNet: the bull mastiff's evidence lies on the dog.</summary>
public class CamExplainerTests
{
    // The dog in cat-and-dog.png (224x224), REFERENCE.md / issue 4.
    private static bool InDogBox(int x, int y) => x is >= 77 and <= 165 && y is >= 12 and <= 148;

    public static TheoryData<string> GradientMethods() => new() { "gradcam", "gradcam++", "xgradcam", "hirescam", "layercam", "gradcam-elementwise", "scorecam" };

    private static CamMethod Create(string name) => name switch
    {
        "gradcam" => new GradCam(),
        "gradcam++" => new GradCamPlusPlus(),
        "xgradcam" => new XGradCam(),
        "hirescam" => new HiResCam(),
        "layercam" => new LayerCam(),
        "scorecam" => new ScoreCam(),
        _ => new GradCamElementwise(),
    };

    [Theory]
    [MemberData(nameof(GradientMethods))]
    public void BullMastiffMapPeaksOnTheDog(string method)
    {
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        Tensor input = new ImagePreprocessor(ModelMetadataReader.ReadFor(model).Input!)
            .Preprocess(ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png")));

        var explainer = new CamExplainer(graph, ["fire9/concat_1"]);
        IReadOnlyList<Tensor> raw = explainer.RawMaps(input, [243], Create(method));
        Assert.Equal(new long[] { 1, 13, 13 }, raw[0].shape);
        Assert.True(raw[0].min().item<float>() >= 0);

        Tensor heat = CamPostprocessing.Heatmaps(raw, 224, 224);
        long peak = heat.flatten().argmax().item<long>();
        int x = (int)(peak % 224), y = (int)(peak / 224);
        Assert.True(InDogBox(x, y), $"{method}: maximum at ({x},{y})");
        Assert.Equal(1f, heat.max().item<float>(), 4);
    }

    [Fact]
    public void BatchedImagesGetTheirOwnTargetsMaps()
    {
        string model = SharedData.Require("models/resnet18-random.onnx");
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        manual_seed(3);
        Tensor batch = randn(2, 3, 64, 64);
        var explainer = new CamExplainer(graph, ["/layer4/layer4.1/relu_1/Relu_output_0"]);

        Tensor both = explainer.RawMaps(batch, [5, 7], new GradCam())[0];
        Tensor first = explainer.RawMaps(batch[..1], [5], new GradCam())[0];
        Tensor second = explainer.RawMaps(batch[1..], [7], new GradCam())[0];

        Assert.True(both[0].allclose(first[0], rtol: 1e-4, atol: 1e-6));
        Assert.True(both[1].allclose(second[0], rtol: 1e-4, atol: 1e-6));
        Assert.False(explainer.RawMaps(batch[..1], [6], new GradCam())[0].allclose(first, rtol: 1e-4, atol: 1e-6));
    }
}
