using Gaze.Attribution;
using Gaze.Imaging;
using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Evaluation;

/// <summary>
/// Classification accuracy and the pointing game (Zhang et al., "Top-down Neural Attention by Excitation
/// Backprop", ECCV 2016) on labelled images: a hit when the maximum of the true class's heatmap, carried back to the
/// image's own pixels, lies inside the object's box. No tolerance margin (the paper allows 15 pixels).
/// </summary>
/// <param name="model">The model; its labels name the classes.</param>
/// <param name="method">The method whose heatmap must point at the object.</param>
/// <param name="layers">Its target layers (ignored by methods without layers).</param>
public sealed class LocalisationEvaluation(LoadedModel model, AttributionMethod method, IReadOnlyList<string> layers)
{
    /// <summary>Evaluates <paramref name="images"/> in batches.</summary>
    /// <param name="images">The labelled images.</param>
    /// <param name="batchSize">Images per batch.</param>
    /// <param name="imageDone">Told after each image.</param>
    /// <exception cref="ArgumentException">An image has no class.</exception>
    public LocalisationReport Evaluate(IEnumerable<LabelledImage> images, int batchSize = 32, Action? imageDone = null)
    {
        var preprocessor = new ImagePreprocessor(model.Input);
        using var explainer = new Explainer(model.Graph, layers, new AttributionOptions { InputLayout = model.Input.Layout });
        int total = 0, correct = 0, hits = 0;
        foreach (LabelledImage[] batch in images.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            int[] truth = batch.Select(b => b.Class ?? throw new ArgumentException($"{b.Name} has no class to evaluate against", nameof(images))).ToArray();
            Tensor modelInput = preprocessor.Preprocess(batch.Select(b => b.Image).ToList());
            using Explanation explanation = explainer.Explain(method, modelInput, truth);
            // The explanation's own forward pass gives the predictions.
            long[] predicted = explanation.Scores.argmax(1).data<long>().ToArray();
            for (int i = 0; i < batch.Length; i++)
            {
                total++;
                if (predicted[i] == truth[i]) correct++;
                Heatmap map = explanation.SourceHeatmap(i, preprocessor.GeometryFor(batch[i].Image));
                int peak = Array.IndexOf(map.Values, map.Values.Max());
                if (batch[i].Boxes.Any(box => box.Contains(peak % map.Width, peak / map.Width))) hits++;
                imageDone?.Invoke();
            }
        }
        return new LocalisationReport(total, correct, hits, method.Name, string.Join(",", layers));
    }
}
