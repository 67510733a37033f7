using System.Text.Json;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>
/// Reference/pytorch-grad-cam-metrics.json: numbers from pytorch-grad-cam's own metric code (commit named in its
/// <c>source</c>) on torchvision's squeezenet1_1 carrying the weights of ../shared/models/squeezenet1.1-caffe2-fp16.onnx,
/// fed Gaze's preprocessed tensors of the two shared photos, with the heatmap a Gaussian whose centre and sigma it
/// records; and its <c>NoisyLinearImputer</c> without noise on a small array. The Python is kept outside the project.
/// </summary>
internal static class PytorchGradCamReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Evaluation", "Faithfulness", "Reference", "pytorch-grad-cam-metrics.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Image(string name) => Root.GetProperty("images").GetProperty(name);
}
