using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Explaining;
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

    // The cat (x 44-201, y 118-224) without the rows and columns it shares with the dog's box.
    private static bool CatOnly(int x, int y) => x is >= 44 and <= 201 && y is >= 118 and <= 224 && !InDogBox(x, y);

    public static TheoryData<string> ClassMethods() => new()
    {
        "cam", "gradcam", "gradcam++", "xgradcam", "hirescam", "layercam", "gradcam-elementwise", "scorecam", "ablationcam",
    };

    private static CamMethod Create(string name) => ((CamAttribution)MethodRegistry.Default.Get(name)).Cam;

    private static Tensor CatAndDog(string model) =>
        new ImagePreprocessor(ModelMetadataReader.ReadFor(model).Input!).Preprocess(ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png")));

    [Theory]
    [MemberData(nameof(ClassMethods))]
    public void Bull_mastiff_map_peaks_on_the_dog(string method)
    {
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        Tensor input = CatAndDog(model);

        using var explainer = new CamExplainer(graph, ["fire9/concat_1"]);
        IReadOnlyList<Tensor> raw = explainer.RawMaps(input, [243], Create(method));
        Assert.Equal(new long[] { 1, 13, 13 }, raw[0].shape);
        Assert.True(raw[0].min().item<float>() >= 0);

        Tensor heat = CamPostprocessing.Heatmaps(raw, 224, 224);
        long peak = heat.flatten().argmax().item<long>();
        int x = (int)(peak % 224), y = (int)(peak / 224);
        Assert.True(InDogBox(x, y), $"{method}: maximum at ({x},{y})");
        Assert.Equal(1f, heat.max().item<float>(), 4);
    }

    /// <summary>
    /// For the tabby (281) pytorch-grad-cam itself puts the maximum of most methods on the dog (the cat is the second
    /// peak), so the test asserts what holds for the reference too: the tabby map lights the cat clearly, far more
    /// than the bull mastiff map does.
    /// </summary>
    [Theory]
    [MemberData(nameof(ClassMethods))]
    public void Tabby_map_lights_the_cat_far_more_than_the_mastiff_map(string method)
    {
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        Tensor input = CatAndDog(model);
        using var explainer = new CamExplainer(graph, ["fire9/concat_1"]);

        float CatPeak(int target)
        {
            float[] heat = explainer.Heatmaps(input, [target], Create(method)).data<float>().ToArray();
            float peak = 0;
            for (int i = 0; i < heat.Length; i++) if (CatOnly(i % 224, i / 224)) peak = Math.Max(peak, heat[i]);
            return peak;
        }
        float tabby = CatPeak(281), mastiff = CatPeak(243);
        Assert.True(tabby >= 0.35f, $"{method}: tabby's peak on the cat is only {tabby:F2}");
        Assert.True(tabby >= 2 * mastiff, $"{method}: tabby {tabby:F2} vs bull mastiff {mastiff:F2} on the cat");
    }

    [Fact]
    public void Batched_images_get_their_own_targets_maps()
    {
        string model = SharedData.Require("models/resnet18-random.onnx");
        using var scope = NewDisposeScope();
        using OnnxGraph graph = OnnxGraph.Load(model);
        manual_seed(3);
        Tensor batch = randn(2, 3, 64, 64);
        using var explainer = new CamExplainer(graph, ["/layer4/layer4.1/relu_1/Relu_output_0"]);

        Tensor both = explainer.RawMaps(batch, [5, 7], new GradCam())[0];
        Tensor first = explainer.RawMaps(batch[..1], [5], new GradCam())[0];
        Tensor second = explainer.RawMaps(batch[1..], [7], new GradCam())[0];

        Assert.True(both[0].allclose(first[0], rtol: 1e-4, atol: 1e-6));
        Assert.True(both[1].allclose(second[0], rtol: 1e-4, atol: 1e-6));
        Assert.False(explainer.RawMaps(batch[..1], [6], new GradCam())[0].allclose(first, rtol: 1e-4, atol: 1e-6));
    }
}
