using Gaze.Attribution.Cam;
using Gaze.Onnx;
using Gaze.Training;
using static TorchSharp.torch;

namespace Gaze.Tests.Training;

/// <summary>The shapes CNN as built for training: a CAM network whose every weight learns.</summary>
public sealed class ShapesNetworkTests
{
    [Fact]
    public void Every_weight_gets_a_gradient_and_the_cam_layer_feeds_a_gap_linear_head()
    {
        using var scope = NewDisposeScope();
        using OnnxGraph graph = ShapesNetwork.Create(8, 32, seed: 4);
        var parameters = graph.MakeTrainable();
        Assert.Equal(10, parameters.Count);
        manual_seed(1);
        Tensor input = randn(4, 3, 32, 32);
        using (GraphRun run = graph.Run(input, new RunOptions { Gradients = true }))
        {
            Assert.Equal(new long[] { 4, 8 }, run.Scores.shape);
            nn.functional.cross_entropy(run.Scores, tensor(new long[] { 0, 1, 2, 3 })).backward();
        }
        foreach (var p in parameters)
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.abs().sum().item<float>() > 0, "a weight got a zero gradient");
        }

        using var explainer = new CamExplainer(graph, [ShapesNetwork.CamLayer]);
        Tensor raw = explainer.RawMaps(input, [0, 1, 2, 3], new OriginalCam())[0];
        Assert.Equal(new long[] { 4, 16, 16 }, raw.shape);
    }
}
