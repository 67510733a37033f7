using Gaze.Datasets;
using Gaze.Evaluation.Sanity;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Tests.Support;

namespace Gaze.Tests.Evaluation.Sanity;

/// <summary>
/// The cascading and independent randomisation tests on the shipped shapes CNN reproduce Adebayo et al.'s finding:
/// Grad-CAM's maps follow the weights, Guided Backprop's do not.
/// </summary>
public sealed class SanityCheckTests
{
    [Fact]
    public void Gradcam_passes_and_guided_backprop_fails_on_the_shapes_cnn()
    {
        using LoadedModel model = LoadedModel.Open(RepositoryFiles.Require("assets/shapes-cnn.onnx"));
        var generator = new ShapesGenerator(seed: 7);
        RgbImage[] images = Enumerable.Range(0, 4).Select(i => generator.Generate(i).Image).ToArray();
        var check = new SanityCheck(model, model.ResolveLayers(null), seed: 0);
        int done = 0;

        IReadOnlyList<SanityResult> results = check.Run(MethodRegistry.Default.Parse("gradcam,guided-backprop"), images, () => done++);

        Assert.Equal(11, check.ModelCount);
        Assert.Equal(check.ModelCount, done);
        SanityResult gradcam = results[0], guided = results[1];
        string[] layers = ["logits", "features.conv", "block3.conv", "block2.conv", "block1.conv"];
        Assert.All(results, r =>
        {
            Assert.Equal(layers, r.Cascade.Select(s => s.Layer));
            Assert.Equal(layers, r.Independent.Select(s => s.Layer));
            Assert.Equal(3, r.VerdictStep);
        });
        Assert.Equal(SanityVerdict.Pass, gradcam.Verdict);
        Assert.Equal(SanityVerdict.Fail, guided.Verdict);
        Assert.True(gradcam.Cascade[2].SpearmanAbs < 0.3, $"Grad-CAM keeps {gradcam.Cascade[2].SpearmanAbs}");
        // Guided Backprop still changes once the early layers go too: its maps come from the low-level filters.
        Assert.True(guided.Cascade[^1].SpearmanAbs < guided.Cascade[0].SpearmanAbs);
        // For a CAM the raw map is the heatmap, so the signed and absolute correlations agree.
        Assert.All(gradcam.Cascade, s => Assert.Equal(s.Spearman, s.SpearmanAbs, 12));
    }
}
