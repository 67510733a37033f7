using Gaze.Errors;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// RISE (Petsiuk, Das and Saenko, "RISE: Randomized Input Sampling for Explanation of Black-box Models", BMVC 2018):
/// N random binary grids of C x C cells, each cell kept with probability P, are upsampled bilinearly to
/// (C + 1) * ceil(H / C) pixels per side and cropped to H x W at a random shift of less than a cell; the saliency is
/// sum_i score_i M_i / (N P), the masks weighted by the target's score of the input they keep. As in the authors'
/// reference implementation (explanations.py), score_i is the target's softmax probability (their model ends in a
/// Softmax), so the saliency of a pixel is the expected probability given that the pixel is kept; and the upsampling
/// is skimage's <c>resize(order=1, mode='reflect')</c>: pixel-centre aligned, mirrored at the grid's edges.
/// Unlike the reference, which multiplies the normalised input tensor by the mask (dimming towards the dataset's mean
/// colour), masked inputs blend towards the black baseline, x' + M (x - x'): multiplying the picture by the mask in
/// pixel space, as the paper describes, whatever the model's normalisation. Gradient-free: the masked copies run
/// forward only, in batches, on ONNX Runtime where it can. The masks depend only on the seed (not on the batch size),
/// and every image of a batch gets the same masks.
/// </summary>
public sealed class Rise : AttributionMethod
{
    /// <summary>The default number of masks (the paper's 4000 for ResNet50).</summary>
    public const int DefaultMasks = 4000;

    /// <summary>The default grid cells per side (the paper's 7).</summary>
    public const int DefaultCells = 7;

    /// <summary>The default keep probability (the paper's 0.5).</summary>
    public const double DefaultKeep = 0.5;

    // Grids are drawn this many numbers at a time (at most), so that the random stream, and with it the masks, does
    // not depend on the batch size, and the grids of many masks with a fine grid need not be held at once.
    private const long ChunkNumbers = 1 << 16;

    private readonly int masks;
    private readonly int cells;
    private readonly double keep;
    private readonly int seed;

    /// <summary>RISE with the paper's settings: 4000 masks of 7 x 7 cells kept with probability 0.5, seed 0.</summary>
    public Rise()
        : this(DefaultMasks, DefaultCells, DefaultKeep, 0)
    {
    }

    private Rise(int masks, int cells, double keep, int seed)
    {
        this.masks = masks;
        this.cells = cells;
        this.keep = keep;
        this.seed = seed;
    }

    /// <inheritdoc />
    public override string Name => "rise";

    /// <inheritdoc />
    public override string Summary => "RISE: random masks weighted by the probability of what they keep (Petsiuk et al., BMVC 2018)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputScoring;

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options => [MethodOption.Masks, MethodOption.Cell, MethodOption.Keep, MethodOption.Seed];

    /// <inheritdoc />
    public override AttributionMethod Configure(MethodSettings settings)
    {
        int count = settings.Int(MethodOption.Masks, DefaultMasks);
        int grid = settings.Int(MethodOption.Cell, DefaultCells, max: Models.ModelInput.MaxSide);
        double probability = settings.Double(MethodOption.Keep, DefaultKeep, 0, 1);
        // No cell is ever kept at 0: every mask is empty and the saliency 0 / 0.
        if (probability == 0)
            throw new InvalidOptionException(MethodOption.Keep.Name, $"expected a number above 0 and at most 1, got '{settings.Text(MethodOption.Keep)}'");
        int start = settings.Int(MethodOption.Seed, 0, min: 0);
        return new Rise(count, grid, probability, start);
    }

    /// <inheritdoc />
    public override RequiredRuns? RunsPerImage(AttributionContext context, long height, long width) =>
        new(masks, context.Options.BatchSize, Backward: false);

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long images = input.shape[0], channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        Tensor scores = context.Scores(input);
        IReadOnlyList<int> resolved = targets.Resolve(scores);
        Tensor black = Baseline.Black.For(input, context, seed: 0);
        int batchSize = context.Options.BatchSize;
        var saliencies = new Tensor[images];
        for (long n = 0; n < images; n++)
        {
            Tensor image = input.narrow(0, n, 1), background = black.narrow(0, n, 1);
            Tensor saliency = zeros([height * width], dtype: ScalarType.Float32);
            // The same seed for every image: each gets the same masks, whatever else is in the batch.
            using var source = new MaskSource(cells, keep, seed, height, width);
            for (long start = 0; start < masks; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                Tensor batch = source.Next(Math.Min(batchSize, masks - start));                        // [B,H,W]
                // The soft masks blend black into the image in one pass: black + m (image - black).
                Tensor masked = background.lerp(image, batch.unsqueeze(1).to(input.dtype));          // [B,C,H,W]
                Tensor probabilities = softmax(context.Scores(masked).to(ScalarType.Float32), 1).select(1, resolved[(int)n]);
                saliency.add_(probabilities.unsqueeze(0).matmul(batch.flatten(1)).squeeze(0));
            }
            saliencies[n] = (saliency / (masks * keep)).reshape(height, width).expand(channels, height, width);
        }
        Tensor attribution = stack(saliencies).contiguous();
        return PixelMaps.Explanation(attribution.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), resolved,
            heatmaps: PixelMaps.AboveFloor(attribution).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// RISE's masks in order, drawn from a seeded CPU generator chunk by chunk (each chunk: its row shifts, its column
    /// shifts, then its grids), and made in batches: each mask is a crop of the upsampled grid, computed as
    /// R_i G_i C_i^T with R_i and C_i the rows of the separable bilinear upsampling that the mask's shifts crop.
    /// </summary>
    private sealed class MaskSource : IDisposable
    {
        private readonly int cells;
        private readonly double keep;
        private readonly long height;
        private readonly long width;
        private readonly long cellHeight;
        private readonly long cellWidth;
        private readonly long chunk;
        private readonly Generator generator;
        private readonly Tensor rowWeights;
        private readonly Tensor columnWeights;
        private Tensor? grids;
        private Tensor? rowShifts;
        private Tensor? columnShifts;
        private long used;

        public MaskSource(int cells, double keep, int seed, long height, long width)
        {
            this.cells = cells;
            this.keep = keep;
            this.height = height;
            this.width = width;
            cellHeight = (height + cells - 1) / cells;
            cellWidth = (width + cells - 1) / cells;
            chunk = Math.Max(1, ChunkNumbers / ((long)cells * cells));
            used = chunk;
            generator = new Generator((ulong)seed);
            rowWeights = Upsampling(cells, (cells + 1) * cellHeight).DetachFromDisposeScope();
            columnWeights = Upsampling(cells, (cells + 1) * cellWidth).DetachFromDisposeScope();
        }

        /// <summary>The next <paramref name="count"/> masks [count,H,W], in [0,1].</summary>
        public Tensor Next(long count)
        {
            var grid = new List<Tensor>();
            var rowShift = new List<Tensor>();
            var columnShift = new List<Tensor>();
            for (long missing = count; missing > 0;)
            {
                if (used == chunk) Draw();
                long take = Math.Min(missing, chunk - used);
                grid.Add(grids!.narrow(0, used, take));
                rowShift.Add(rowShifts!.narrow(0, used, take));
                columnShift.Add(columnShifts!.narrow(0, used, take));
                used += take;
                missing -= take;
            }
            Tensor rows = rowWeights.index_select(0, (cat(rowShift).unsqueeze(1) + arange(height)).flatten())
                .reshape(count, height, cells);
            Tensor columns = columnWeights.index_select(0, (cat(columnShift).unsqueeze(1) + arange(width)).flatten())
                .reshape(count, width, cells);
            return rows.matmul(cat(grid)).matmul(columns.transpose(1, 2));
        }

        public void Dispose()
        {
            generator.Dispose();
            rowWeights.Dispose();
            columnWeights.Dispose();
            grids?.Dispose();
            rowShifts?.Dispose();
            columnShifts?.Dispose();
        }

        /// <summary>Replaces the chunk of shifts and grids by the generator's next.</summary>
        private void Draw()
        {
            grids?.Dispose();
            rowShifts?.Dispose();
            columnShifts?.Dispose();
            using var scope = NewDisposeScope();
            rowShifts = randint(0, cellHeight, [chunk], generator: generator).DetachFromDisposeScope();
            columnShifts = randint(0, cellWidth, [chunk], generator: generator).DetachFromDisposeScope();
            grids = (rand([chunk, cells, cells], generator: generator) < keep).to(ScalarType.Float32).DetachFromDisposeScope();
            used = 0;
        }

        /// <summary>
        /// [output, input]: linear interpolation from <paramref name="input"/> samples to <paramref name="output"/>,
        /// pixel-centre aligned (source = (i + 0.5) input / output - 0.5) and mirrored at the ends (index -1 reads 1,
        /// index n reads n - 2), as scipy's zoom with grid_mode and mode 'mirror' under skimage's resize.
        /// </summary>
        private static Tensor Upsampling(int input, long output)
        {
            var weights = new float[output * input];
            int Mirror(long i) => input == 1 ? 0 : (int)(i < 0 ? -i : i > input - 1 ? 2 * (input - 1) - i : i);
            for (long o = 0; o < output; o++)
            {
                double source = (o + 0.5) * input / output - 0.5;
                long low = (long)Math.Floor(source);
                double fraction = source - low;
                weights[o * input + Mirror(low)] += (float)(1 - fraction);
                weights[o * input + Mirror(low + 1)] += (float)fraction;
            }
            return tensor(weights, [output, input]);
        }
    }
}
