using Gaze.Attribution;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// On cat-and-dog.png, SqueezeNet's pixel attributions for the tabby cat (281) lie more on the cat, and those for the
/// bull mastiff (243) more on the dog.
/// </summary>
public sealed class LocalisationTests
{
    private const int Tabby = 281, BullMastiff = 243;

    // Boxes in the 224x224 input frame, which is the photo itself (224x224, stretched to the model's 224x224): the
    // bulldog from its ears to its front paws, x 77-165, y 12-148, and the lying cat from its ears to the bottom edge
    // and from its tail to its hind paw, x 44-201, y 118-223 (the boxes of CamExplainerTests, checked on a 4x
    // enlargement of the photo with a 16-pixel grid). The boxes overlap where the cat's head meets the dog's paws;
    // each region leaves out that overlap, so that no pixel counts for both animals.
    private static bool InDogBox(int x, int y) => x is >= 77 and <= 165 && y is >= 12 and <= 148;

    private static bool InCatBox(int x, int y) => x is >= 44 and <= 201 && y is >= 118 and <= 223;

    private static bool CatOnly(int x, int y) => InCatBox(x, y) && !InDogBox(x, y);

    private static bool DogOnly(int x, int y) => InDogBox(x, y) && !InCatBox(x, y);

    /// <summary>Each target's share of the attribution's magnitude (summed over channels) inside the cat-only and the dog-only region.</summary>
    private static Dictionary<int, (double Cat, double Dog)> Shares(string method)
    {
        string model = SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx");
        using var loaded = LoadedModel.Open(model);
        using var scope = NewDisposeScope();
        Tensor input = new ImagePreprocessor(loaded.Input).Preprocess(ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png")));
        using var explainer = new Explainer(loaded.Graph, ["fire9/concat_1"]);
        var shares = new Dictionary<int, (double Cat, double Dog)>();
        foreach (int target in new[] { Tabby, BullMastiff })
        {
            using Explanation explanation = explainer.Explain(MethodRegistry.Default.Get(method), input, [target]);
            Tensor magnitude = explanation.Attributions![0].abs().sum([0]);
            Assert.Equal(new long[] { 224, 224 }, magnitude.shape);
            float[] values = magnitude.to(ScalarType.Float32).contiguous().data<float>().ToArray();
            double total = 0, cat = 0, dog = 0;
            for (int i = 0; i < values.Length; i++)
            {
                int x = i % 224, y = i / 224;
                total += values[i];
                if (CatOnly(x, y)) cat += values[i];
                if (DogOnly(x, y)) dog += values[i];
            }
            shares[target] = (cat / total, dog / total);
        }
        return shares;
    }

    [Theory]
    [InlineData("saliency")]
    [InlineData("guided-gradcam")]
    public void The_tabby_attribution_lies_more_on_the_cat_and_the_mastiff_attribution_more_on_the_dog(string method)
    {
        var shares = Shares(method);
        var (tabby, mastiff) = (shares[Tabby], shares[BullMastiff]);
        string figures = $"{method}: cat-only share tabby {tabby.Cat:P1} vs bull mastiff {mastiff.Cat:P1}; "
            + $"dog-only share tabby {tabby.Dog:P1} vs bull mastiff {mastiff.Dog:P1}";
        Assert.True(tabby.Cat > mastiff.Cat, figures);
        Assert.True(mastiff.Dog > tabby.Dog, figures);
    }
}
