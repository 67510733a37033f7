using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// Occlusion (Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014): a square window
/// slides over the input and replaces what it covers, in every channel, by the baseline; a pixel's attribution is the
/// mean drop of the target's pre-softmax score over the windows that cover it. Windows are placed as Captum's
/// <c>Occlusion</c> places a 3xWxW window with strides 3xSxS: at offsets 0, S, 2S, ... up to the first that reaches
/// the far edge (ceil((H - W) / S) + 1 per side), the last one clipped to the input, so that the attributions equal
/// Captum's. Gradient-free: the occluded copies run forward only, in batches, on ONNX Runtime where it can.
/// </summary>
public sealed class Occlusion : AttributionMethod
{
    /// <summary>The default window side.</summary>
    public const int DefaultWindow = 16;

    /// <summary>The default stride.</summary>
    public const int DefaultStride = 8;

    private readonly int window;
    private readonly int stride;
    private readonly Baseline baseline;

    /// <summary>Occlusion with the defaults: 16x16 windows every 8 pixels, a black baseline.</summary>
    public Occlusion()
        : this(DefaultWindow, DefaultStride, Baseline.Black)
    {
    }

    private Occlusion(int window, int stride, Baseline baseline)
    {
        this.window = window;
        this.stride = stride;
        this.baseline = baseline;
    }

    /// <inheritdoc />
    public override string Name => "occlusion";

    /// <inheritdoc />
    public override string Summary => "Occlusion: mean score drop when a sliding window is blacked out (Zeiler and Fergus, ECCV 2014)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputScoring;

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options => [MethodOption.Window, MethodOption.Stride, MethodOption.Baseline];

    /// <inheritdoc />
    public override AttributionMethod Configure(MethodSettings settings)
    {
        int side = settings.Int(MethodOption.Window, DefaultWindow, max: Models.ModelInput.MaxSide);
        // A stride beyond the window would leave pixels that no window covers, without an attribution (Captum
        // refuses it too); a window narrower than the default stride therefore defaults to a stride of its side.
        int step = settings.Int(MethodOption.Stride, Math.Min(DefaultStride, side), max: side);
        return new Occlusion(side, step, settings.Text(MethodOption.Baseline) is { } text ? Baseline.Parse(text) : Baseline.Black);
    }

    /// <inheritdoc />
    public override RequiredRuns? RunsPerImage(AttributionContext context, long height, long width) =>
        new((int)(Offsets(height).Length * Offsets(width).Length), context.Options.BatchSize, Backward: false);

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long images = input.shape[0], height = input.shape[2], width = input.shape[3];
        Tensor scores = context.Scores(input);
        IReadOnlyList<int> resolved = targets.Resolve(scores);
        // Occlusion takes no --seed: a noise baseline is the same for every run.
        Tensor reference = baseline.For(input, context, seed: 0);
        Tensor rows = Covered(height), columns = Covered(width);                                       // [windows, side]
        long across = columns.shape[0], count = rows.shape[0] * across;
        // How many windows cover each pixel: the product of the counts along each side.
        Tensor cover = rows.sum([0]).unsqueeze(1) * columns.sum([0]).unsqueeze(0);                      // [H,W]
        int batchSize = context.Options.BatchSize;
        var attributions = new Tensor[images];
        for (long n = 0; n < images; n++)
        {
            Tensor image = input.narrow(0, n, 1), background = reference.narrow(0, n, 1);
            double original = scores[n, resolved[(int)n]].item<float>();
            Tensor drops = zeros([height * width], dtype: ScalarType.Float32);
            for (long start = 0; start < count; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                Tensor index = arange(start, Math.Min(start + batchSize, count), dtype: ScalarType.Int64);
                Tensor masks = rows.index_select(0, index.div(across, rounding_mode: RoundingMode.floor)).unsqueeze(2)
                    * columns.index_select(0, index.remainder(across)).unsqueeze(1);                   // [B,H,W]
                // One pass that picks baseline or image values: the copies are the method's only work besides the runs.
                Tensor occluded = where(masks.unsqueeze(1) > 0, background, image);                   // [B,C,H,W]
                Tensor drop = (original - context.InputScores(occluded, resolved[(int)n])).to(ScalarType.Float32);
                drops.add_(drop.unsqueeze(0).matmul(masks.flatten(1)).squeeze(0));
            }
            attributions[n] = (drops.reshape(height, width) / cover).expand(input.shape[1], height, width);
        }
        Tensor attribution = stack(attributions).contiguous();
        return PixelMaps.Explanation(attribution.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), resolved,
            heatmaps: PixelMaps.Positive(attribution).MoveToOuterDisposeScope());
    }

    /// <summary>The offsets of the windows along a side of <paramref name="length"/> pixels.</summary>
    private long[] Offsets(long length)
    {
        long steps = (Math.Max(0, length - window) + stride - 1) / stride;
        return Enumerable.Range(0, (int)steps + 1).Select(k => k * (long)stride).ToArray();
    }

    /// <summary>[windows, length]: 1 where each window along a side covers the pixel, else 0.</summary>
    private Tensor Covered(long length)
    {
        Tensor starts = tensor(Offsets(length)).unsqueeze(1);
        Tensor positions = arange(length, dtype: ScalarType.Int64).unsqueeze(0);
        return ((positions >= starts) & (positions < starts + window)).to(ScalarType.Float32);
    }
}
