using System.Text.Json;
using Gaze.Attribution;
using Gaze.Evaluation.Faithfulness;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>
/// ConfidenceChange and ROAD against pytorch-grad-cam's <c>CamMultImageConfidenceChange</c> and ROAD classes with
/// <c>ClassifierOutputSoftmaxTarget</c> on SqueezeNet 1.1 (see <see cref="PytorchGradCamReference"/>). The scorer is
/// Gaze's own float32 graph (<c>GraphScores</c>), the arithmetic of the reference: ONNX Runtime runs the model's float16
/// arithmetic, which moves these probabilities by up to 2e-3 (measured: confidence change −0.48735 against −0.48949).
/// </summary>
public sealed class PytorchGradCamAgreementTests
{
    public static TheoryData<string, string> Photos() => new()
    {
        { "cat-and-dog", "images/cat-and-dog.png" },
        { "puppy-and-kitten", "images/puppy-and-kitten.jfif" },
    };

    [Theory]
    [MemberData(nameof(Photos))]
    public void Confidence_change_equals_pytorch_grad_cams_with_softmax_targets(string image, string file)
    {
        using var scope = NewDisposeScope();
        using var setting = Setting.Open(image, file);

        double change = ConfidenceChange.Of(setting.Explainer.Context.GraphScores, setting.Input, setting.Heatmap, setting.Target);

        double expected = setting.Reference.GetProperty("confidence_change_softmax").GetDouble();
        Assert.True(Math.Abs(change - expected) < 1e-4, $"{image}: {change:F6}, pytorch-grad-cam {expected:F6}");
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public void Road_without_noise_equals_pytorch_grad_cams_at_one_percentage(string image, string file)
    {
        using var scope = NewDisposeScope();
        using var setting = Setting.Open(image, file);

        // pytorch-grad-cam's percentile 80 keeps the pixels below the 80th percentile: about 20% are removed, all
        // pixels tied at the threshold included. Asking for its exact counts removes the very same pixels.
        JsonElement reference = setting.Reference;
        Assert.Equal(20, reference.GetProperty("road_morf_removed_percent").GetInt32());
        double Percentage(string kind) => 100.0 * reference.GetProperty($"road_{kind}_removed_pixels").GetInt32() / setting.Heatmap.numel();
        RoadResult mostFirst = Road.Evaluate(setting.Explainer.Context.GraphScores, setting.Input, setting.Heatmap, setting.Target, [Percentage("morf")], noise: 0);
        RoadResult leastFirst = Road.Evaluate(setting.Explainer.Context.GraphScores, setting.Input, setting.Heatmap, setting.Target, [Percentage("lerf")], noise: 0);

        double clean = reference.GetProperty("clean_probability").GetDouble();
        Assert.True(Math.Abs(mostFirst.CleanProbability - clean) < 1e-3, $"{image}: clean {mostFirst.CleanProbability:F6}, pytorch {clean:F6}");
        double morf = mostFirst.MostRelevantFirstValues[0] * mostFirst.CleanProbability, lerf = leastFirst.LeastRelevantFirstValues[0] * leastFirst.CleanProbability;
        double expectedMorf = reference.GetProperty("road_morf_probability").GetDouble(), expectedLerf = reference.GetProperty("road_lerf_probability").GetDouble();
        Assert.True(Math.Abs(morf - expectedMorf) < 1e-4, $"{image}: MoRF {morf:F6}, pytorch-grad-cam {expectedMorf:F6}");
        Assert.True(Math.Abs(lerf - expectedLerf) < 1e-4, $"{image}: LeRF {lerf:F6}, pytorch-grad-cam {expectedLerf:F6}");
    }

    /// <summary>SqueezeNet, one photo as Gaze preprocesses it, the reference's heatmap and target.</summary>
    private sealed class Setting : IDisposable
    {
        private readonly LoadedModel model;

        private Setting(LoadedModel model, Explainer explainer, Tensor input, Tensor heatmap, int target, JsonElement reference)
        {
            this.model = model;
            Explainer = explainer;
            Input = input;
            Heatmap = heatmap;
            Target = target;
            Reference = reference;
        }

        public Explainer Explainer { get; }

        public Tensor Input { get; }

        public Tensor Heatmap { get; }

        public int Target { get; }

        public JsonElement Reference { get; }

        public static Setting Open(string image, string file)
        {
            JsonElement reference = PytorchGradCamReference.Image(image);
            var model = LoadedModel.Open(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
            var explainer = new Explainer(model.Graph, [], new AttributionOptions { Input = model.Input, InputLayout = model.Input.Layout });
            Tensor input = new ImagePreprocessor(model.Input).Preprocess(ImageDecoder.Load(SharedData.Require(file)));
            Assert.Equal(reference.GetProperty("input_sum").GetDouble(), input.sum().item<float>(), 0.5);
            JsonElement map = reference.GetProperty("heatmap");
            double[] centre = map.GetProperty("centre").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Tensor heatmap = Gaussian((int)input.shape[2], centre[0], centre[1], map.GetProperty("sigma").GetDouble());
            Assert.Equal(map.GetProperty("sum").GetDouble(), heatmap.to(ScalarType.Float64).sum().item<double>(), 0.01);
            return new Setting(model, explainer, input, heatmap, reference.GetProperty("target").GetInt32(), reference);
        }

        public void Dispose()
        {
            Explainer.Dispose();
            model.Dispose();
        }

        /// <summary>exp(−((y − cy)² + (x − cx)²) / 2σ²) in double, stored as float32, as the reference script makes it.</summary>
        private static Tensor Gaussian(int side, double centreY, double centreX, double sigma)
        {
            var values = new float[side * side];
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    values[y * side + x] = (float)Math.Exp(-((y - centreY) * (y - centreY) + (x - centreX) * (x - centreX)) / (2 * sigma * sigma));
            return tensor(values, [side, side]);
        }
    }
}
