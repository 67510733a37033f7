using Gaze.Attribution.Cam;
using static TorchSharp.torch;

namespace Gaze.Tests.Attribution.Cam;

/// <summary>The per-method formulas of REFERENCE.md section 4, checked against values computed by hand or by loops.</summary>
public class CamMathTests
{
    // One image, two channels, 2x2 positions.
    private static readonly float[] A = { 1, 2, 3, 4, /* channel 1 */ 0, 1, 0, 2 };
    private static readonly float[] G = { 0.5f, -0.5f, 1, 0, /* channel 1 */ -1, -2, 0, 1 };

    private static LayerSignals Signals() =>
        new(tensor(A).reshape(1, 2, 2, 2), tensor(G).reshape(1, 2, 2, 2));

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void GradCam_weights_are_mean_gradients_and_map_is_relu_of_weighted_sum()
    {
        using var scope = NewDisposeScope();
        var cam = new GradCam();
        // w0 = (0.5 - 0.5 + 1 + 0) / 4 = 0.25; w1 = (-1 - 2 + 0 + 1) / 4 = -0.5.
        Assert.Equal(new[] { 0.25f, -0.5f }, Values(cam.ChannelWeights(Signals())));
        // 0.25*A0 - 0.5*A1 = [0.25, 0, 0.75, 0], then ReLU.
        Assert.Equal(new[] { 0.25f, 0f, 0.75f, 0f }, Values(cam.RawMap(Signals())));
    }

    [Fact]
    public void Position_wise_methods_follow_their_definitions()
    {
        using var scope = NewDisposeScope();
        float[] hires = new float[4], elementwise = new float[4], layer = new float[4];
        for (int p = 0; p < 4; p++)
        {
            float sum = 0, positives = 0, layerSum = 0;
            for (int k = 0; k < 2; k++)
            {
                float ga = G[k * 4 + p] * A[k * 4 + p];
                sum += ga;
                positives += Math.Max(ga, 0);
                layerSum += Math.Max(G[k * 4 + p], 0) * A[k * 4 + p];
            }
            hires[p] = Math.Max(sum, 0);
            elementwise[p] = positives;
            layer[p] = Math.Max(layerSum, 0);
        }
        Assert.Equal(hires, Values(new HiResCam().RawMap(Signals())));
        Assert.Equal(elementwise, Values(new GradCamElementwise().RawMap(Signals())));
        Assert.Equal(layer, Values(new LayerCam().RawMap(Signals())));
    }

    [Fact]
    public void GradCamPlusPlus_and_XGradCam_weights_match_loops()
    {
        using var scope = NewDisposeScope();
        var plusPlus = new double[2];
        var xgrad = new double[2];
        for (int k = 0; k < 2; k++)
        {
            double activationSum = 0, gaSum = 0;
            for (int p = 0; p < 4; p++) activationSum += A[k * 4 + p];
            for (int p = 0; p < 4; p++)
            {
                double g = G[k * 4 + p];
                gaSum += g * A[k * 4 + p];
                double alpha = g == 0 ? 0 : g * g / (2 * g * g + activationSum * g * g * g + 1e-6);
                plusPlus[k] += Math.Max(g, 0) * alpha;
            }
            xgrad[k] = gaSum / (activationSum + 1e-7);
        }
        float[] actualPlusPlus = Values(new GradCamPlusPlus().ChannelWeights(Signals()));
        float[] actualX = Values(new XGradCam().ChannelWeights(Signals()));
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(plusPlus[k], actualPlusPlus[k], 5);
            Assert.Equal(xgrad[k], actualX[k], 5);
        }
    }

    [Fact]
    public void EigenCam_recovers_a_rank_one_pattern_with_positive_sign()
    {
        using var scope = NewDisposeScope();
        // A_k(p) = u(p) * v_k: the first principal component is u centred, up to sign and scale.
        float[] u = { 0, 1, 5, 2, 0, 3, 1, 0, 4 };
        float[] v = { -2, 1, 0.5f };
        var activations = tensor(v).reshape(1, 3, 1, 1) * tensor(u).reshape(1, 1, 3, 3);
        Tensor map = PrincipalProjection.Of(activations);
        float mean = u.Average();
        double scale = Math.Sqrt(v.Sum(x => x * x));
        float[] projected = Values(map);
        for (int p = 0; p < 9; p++) Assert.Equal((u[p] - mean) * scale, projected[p], 4);

        // The SVD's sign does not leak out: flipping the activations gives the same map.
        Assert.Equal(projected, Values(PrincipalProjection.Of(-activations)), new FloatTolerance(1e-4f));
        float[] eigen = Values(new EigenCam().RawMap(new LayerSignals(activations, null)));
        for (int p = 0; p < 9; p++) Assert.Equal(Math.Max(projected[p], 0), eigen[p], 4);
    }

    [Fact]
    public void Postprocessing_normalises_resizes_and_averages_layers()
    {
        using var scope = NewDisposeScope();
        var raw = tensor(new float[] { 1, 3, 5, 9 }).reshape(1, 2, 2);
        float[] normalised = Values(CamPostprocessing.Normalize(raw));
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 1f }, normalised, new FloatTolerance(1e-6f));

        Tensor heat = CamPostprocessing.Heatmaps([raw], 4, 4);
        Assert.Equal(new long[] { 1, 4, 4 }, heat.shape);
        Assert.Equal(0f, heat.min().item<float>(), 5);
        Assert.Equal(1f, heat.max().item<float>(), 5);
        // Half-pixel bilinear: output (0,0) sits on input (−0.25,−0.25), clamped to the corner value.
        Assert.Equal(0f, heat[0, 0, 0].item<float>(), 5);

        // Two layers with opposite patterns average to a flat map, which normalises to zeros.
        var opposite = tensor(new float[] { 9, 7, 5, 1 }).reshape(1, 2, 2);
        Tensor both = CamPostprocessing.Heatmaps([raw, opposite], 2, 2);
        Assert.All(Values(both), v => Assert.Equal(0f, v, 5));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
