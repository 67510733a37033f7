using System.Text.Json;
using Gaze.Imaging;
using Gaze.IO;
using Gaze.Models;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// Gaze's <c>-attribution.npy</c> against Captum 0.8's attributions for the same network and input tensor.
/// Reference/captum-squeezenet.json and its arrays hold Captum's outputs on torchvision's squeezenet1_1 carrying the
/// weights of ../shared/models/squeezenet1.1-caffe2-fp16.onnx, fed Gaze's own preprocessed tensors of cat-and-dog.png
/// (target 243) and puppy-and-kitten.jfif (target 222, its top class); each array is stored as float16 divided by
/// its largest magnitude. The Python that produced them is kept outside the project.
/// </summary>
public sealed class CaptumAgreementTests
{
    private static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllText(ReferenceFile("captum-squeezenet.json"))));

    /// <summary>
    /// Methods whose attributions must also match Captum's in size (largest magnitude within 1%), not only in shape:
    /// an attribution off by a factor (occlusion summing the drops of the windows over a pixel instead of averaging
    /// them, or scoring probabilities instead of pre-softmax scores) can still correlate.
    /// </summary>
    private static readonly HashSet<string> SameSize = ["saliency", "gradient-x-input", "occlusion"];

    private static string Model => SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");

    public static TheoryData<string, string, int, string, double> Cases() => new()
    {
        // image, file, target, method, least Pearson correlation (0.999 for the pure-gradient methods; Integrated
        // Gradients' default is Captum's: black baseline, 64 trapezoid steps, whose weights Gaze normalises to sum 1,
        // a factor the correlation does not see; measured 0.99999992 and 0.99999997, float16 storage being the limit)
        { "cat-and-dog", "images/cat-and-dog.png", 243, "saliency", 0.999 },
        { "puppy-and-kitten", "images/puppy-and-kitten.jfif", 222, "saliency", 0.999 },
        { "cat-and-dog", "images/cat-and-dog.png", 243, "gradient-x-input", 0.999 },
        { "puppy-and-kitten", "images/puppy-and-kitten.jfif", 222, "gradient-x-input", 0.999 },
        { "cat-and-dog", "images/cat-and-dog.png", 243, "guided-backprop", 0.999 },
        { "puppy-and-kitten", "images/puppy-and-kitten.jfif", 222, "guided-backprop", 0.999 },
        // Captum's Occlusion with a 3x16x16 window, strides 3x8x8 and the black baseline: Gaze's defaults.
        { "cat-and-dog", "images/cat-and-dog.png", 243, "occlusion", 0.99 },
        { "puppy-and-kitten", "images/puppy-and-kitten.jfif", 222, "occlusion", 0.99 },
        { "cat-and-dog", "images/cat-and-dog.png", 243, "integrated-gradients", 0.999 },
        { "puppy-and-kitten", "images/puppy-and-kitten.jfif", 222, "integrated-gradients", 0.999 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Attributions_correlate_with_captums(string image, string file, int target, string method, double least)
    {
        using var dir = new TempDirectory();
        string photo = SharedData.Require(file);
        var result = CliRunner.Run("explain", photo, "--model", Model, "--method", method, "--target", target.ToString(), "--out", dir.Path + "/out");
        Assert.True(result.ExitCode == 0, result.Error);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "results.json")));
        string attribution = results.RootElement.GetProperty("images")[0].GetProperty("explanations")[0].GetProperty("attribution").GetString()!;
        var ours = NpyFile.Read(Path.Combine(dir.Path, "out", attribution));
        var reference = NpyFile.Read(ReferenceFile($"{image}-{target}-{method}.npy"));

        Assert.Equal([3, 224, 224], ours.Shape);
        Assert.Equal(reference.Shape, ours.Shape);
        double r = Correlation.Pearson(ours.Data, reference.Data);
        Assert.True(r >= least, $"{method} on {image} for {target}: Pearson {r:F6}, expected at least {least}");
        if (SameSize.Contains(method))
        {
            double largest = ours.Data.Max(v => Math.Abs((double)v));
            double scale = Record(image, target).GetProperty("scale").GetProperty(method).GetDouble();
            Assert.True(Math.Abs(largest / scale - 1) <= 0.01, $"{method} on {image} for {target}: largest magnitude {largest}, Captum's {scale}");
        }
    }

    [Fact]
    public void The_reference_was_computed_on_gazes_own_input_tensors()
    {
        using LoadedModel model = LoadedModel.Open(Model);
        var preprocessor = new ImagePreprocessor(model.Input);
        foreach (var (image, file) in new[] { ("cat-and-dog", "images/cat-and-dog.png"), ("puppy-and-kitten", "images/puppy-and-kitten.jfif") })
        {
            using var scope = NewDisposeScope();
            double sum = preprocessor.Preprocess(ImageDecoder.Load(SharedData.Require(file))).sum().item<float>();
            double expected = Manifest.Value.RootElement.GetProperty("images").GetProperty(image).GetProperty("input_sum").GetDouble();
            Assert.Equal(expected, sum, 0.5);
        }
    }

    /// <summary>A file of the reference, copied beside the test binaries.</summary>
    internal static string ReferenceFile(string name) => Path.Combine(AppContext.BaseDirectory, "Attribution", "Pixel", "Reference", name);

    /// <summary>The manifest's record of one image and target (logits, Integrated Gradients' deltas and gaps, scales).</summary>
    internal static JsonElement Record(string image, int target) =>
        Manifest.Value.RootElement.GetProperty("images").GetProperty(image).GetProperty("targets").GetProperty(target.ToString());
}
