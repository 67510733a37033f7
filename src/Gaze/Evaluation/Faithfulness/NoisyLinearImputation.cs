using Gaze.Datasets;
using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// ROAD's noisy linear imputation (Rong, Leemann, Borisov, Kasneci and Kasneci, "A Consistent and Efficient Evaluation
/// Strategy for Attribution Methods", ICML 2022): every removed pixel becomes the weighted mean of its 8
/// neighbours inside the image, direct neighbours weighing 1/6 and diagonal ones 1/12 (renormalised over the
/// neighbours that exist at the border), where removed neighbours are themselves unknowns. All removed pixels of a
/// channel are solved jointly: the system (diag(s) − W) x = b, with s the pixel's weight sum, W the weights between
/// removed pixels and b the weighted known neighbours, is symmetric positive definite whenever one pixel is known,
/// and is solved by conjugate gradients with a symmetric successive over-relaxation preconditioner, in double
/// precision, until the residual is at most <see cref="Tolerance"/> times the right-hand side (pytorch-grad-cam's
/// <c>NoisyLinearImputer</c> builds the same system and solves it directly with SciPy's sparse LU). Gaussian noise of the given standard deviation, in input tensor units, is then
/// added to every imputed value from a seeded generator, so that a seed always gives the same image.
/// </summary>
public static class NoisyLinearImputation
{
    /// <summary>The weight of each of the 4 direct neighbours.</summary>
    public const double DirectWeight = 1.0 / 6;

    /// <summary>The weight of each of the 4 diagonal neighbours.</summary>
    public const double DiagonalWeight = 1.0 / 12;

    /// <summary>The solver stops when the residual's norm is at most this fraction of the right-hand side's.</summary>
    public const double Tolerance = 1e-6;

    // SSOR's relaxation factor: any value in (0, 2) gives the same solution; on 224 x 224 ROAD masks 1.7 took about
    // half the iterations of 1.0 (large removed regions) without slowing small scattered ones much.
    private const double Relaxation = 1.7;

    private static readonly (int Dy, int Dx, double Weight)[] Neighbours =
    [
        (-1, -1, DiagonalWeight), (-1, 0, DirectWeight), (-1, 1, DiagonalWeight),
        (0, -1, DirectWeight), (0, 1, DirectWeight),
        (1, -1, DiagonalWeight), (1, 0, DirectWeight), (1, 1, DiagonalWeight),
    ];

    /// <summary>
    /// <paramref name="image"/> with the pixels where <paramref name="removed"/> is true imputed from their neighbours,
    /// plus Gaussian noise of standard deviation <paramref name="noise"/> drawn with <paramref name="seed"/>.
    /// </summary>
    /// <param name="image">One image [1,C,H,W] or [C,H,W].</param>
    /// <param name="removed">[H,W], true (or non-zero) where a pixel is to be imputed.</param>
    /// <param name="noise">The noise's standard deviation in input tensor units; 0 for none.</param>
    /// <param name="seed">The noise's seed.</param>
    /// <returns>A new tensor of the image's shape, type and device.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit, or every pixel is removed.</exception>
    public static Tensor Impute(Tensor image, Tensor removed, double noise = 0, int seed = 0)
    {
        if (image.dim() is not (3 or 4) || (image.dim() == 4 && image.shape[0] != 1))
            throw new ArgumentException($"expected one image [1,C,H,W] or [C,H,W], got [{string.Join(",", image.shape)}]", nameof(image));
        int channels = (int)image.shape[^3], height = (int)image.shape[^2], width = (int)image.shape[^1];
        if (removed.dim() != 2 || removed.shape[0] != height || removed.shape[1] != width)
            throw new ArgumentException($"expected a mask [{height},{width}], got [{string.Join(",", removed.shape)}]", nameof(removed));
        using var scope = NewDisposeScope();
        float[] pixels = image.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        bool[] mask = removed.detach().cpu().to(ScalarType.Bool).contiguous().data<bool>().ToArray();
        float[] result = Impute(pixels, channels, height, width, mask, noise, DeterministicRandom.ForItem(seed, 0));
        return tensor(result, image.shape).to(image.dtype, image.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The imputation on a channels-first array [C,H,W]: a new array, <paramref name="pixels"/> untouched. The noise
    /// is drawn channel by channel, removed pixels in raster order.
    /// </summary>
    internal static float[] Impute(float[] pixels, int channels, int height, int width, bool[] removed, double noise, DeterministicRandom random)
    {
        int plane = height * width;
        var system = new ImputationSystem(height, width, removed);
        if (system.Unknowns == plane && plane > 0)
            throw new ArgumentException("every pixel is removed: there is nothing to impute from", nameof(removed));
        float[] result = (float[])pixels.Clone();
        double[] solution = system.Solve(pixels, channels);
        for (int c = 0; c < channels; c++)
        {
            for (int u = 0; u < system.Unknowns; u++)
            {
                double value = solution[u * channels + c] + (noise == 0 ? 0 : noise * Gaussian(random));
                result[c * plane + system.Pixels[u]] = (float)value;
            }
        }
        return result;
    }

    /// <summary>A standard normal number (Box–Muller).</summary>
    private static double Gaussian(DeterministicRandom random)
    {
        double u = 1 - random.NextDouble(); // in (0, 1], so the logarithm is finite
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>The sparse system of one mask, shared by every channel: diagonal, links between unknowns, links to known pixels.</summary>
    private sealed class ImputationSystem
    {
        private readonly double[] diagonal;
        // Links to unknowns earlier and later in raster order, in compressed rows: the sweeps of the preconditioner
        // read one part each.
        private readonly Links lower;
        private readonly Links upper;
        private readonly int[] knownStart;
        private readonly int[] knownPixels;
        private readonly double[] knownWeights;

        public ImputationSystem(int height, int width, bool[] removed)
        {
            var index = new int[height * width];
            var pixels = new List<int>();
            for (int p = 0; p < index.Length; p++)
            {
                index[p] = removed[p] ? pixels.Count : -1;
                if (removed[p]) pixels.Add(p);
            }
            Pixels = pixels.ToArray();
            diagonal = new double[Pixels.Length];
            knownStart = new int[Pixels.Length + 1];
            var lowerLinks = new List<(int Row, int Unknown, double Weight)>();
            var upperLinks = new List<(int Row, int Unknown, double Weight)>();
            var known = new List<(int Pixel, double Weight)>();
            for (int u = 0; u < Pixels.Length; u++)
            {
                int y = Pixels[u] / width, x = Pixels[u] % width;
                foreach (var (dy, dx, weight) in Neighbours)
                {
                    int ny = y + dy, nx = x + dx;
                    if (ny < 0 || nx < 0 || ny >= height || nx >= width) continue;
                    int neighbour = ny * width + nx;
                    diagonal[u] += weight;
                    if (index[neighbour] >= 0) (index[neighbour] < u ? lowerLinks : upperLinks).Add((u, index[neighbour], weight));
                    else known.Add((neighbour, weight));
                }
                knownStart[u + 1] = known.Count;
            }
            // Flat arrays for the solver's inner loops.
            lower = new Links(Pixels.Length, lowerLinks);
            upper = new Links(Pixels.Length, upperLinks);
            knownPixels = known.Select(k => k.Pixel).ToArray();
            knownWeights = known.Select(k => k.Weight).ToArray();
        }

        /// <summary>The raster index of each unknown.</summary>
        public int[] Pixels { get; }

        public int Unknowns => Pixels.Length;

        /// <summary>
        /// The unknowns of all channels of <paramref name="pixels"/> [C,H,W], interleaved (unknown u, channel c at
        /// u · C + c) so that each pass over the links serves every channel: conjugate gradients preconditioned by
        /// symmetric successive over-relaxation (SSOR), from the Jacobi guess, each channel with its own step sizes
        /// and stopping when its own residual is small enough.
        /// </summary>
        public double[] Solve(float[] pixels, int channels)
        {
            int n = Pixels.Length, size = n * channels, plane = pixels.Length / channels;
            var b = new double[size];
            for (int u = 0; u < n; u++)
                for (int k = knownStart[u]; k < knownStart[u + 1]; k++)
                    for (int c = 0; c < channels; c++) b[u * channels + c] += knownWeights[k] * pixels[c * plane + knownPixels[k]];
            var x = new double[size];
            for (int i = 0; i < size; i++) x[i] = b[i] / diagonal[i / channels];
            double[] targets = Dots(b, b, channels).Select(d => Tolerance * Math.Sqrt(d)).ToArray();
            var r = new double[size];
            var q = new double[size];
            Multiply(x, q, channels);
            for (int i = 0; i < size; i++) r[i] = b[i] - q[i];
            var z = new double[size];
            Precondition(r, z, channels);
            double[] p = (double[])z.Clone();
            double[] rz = Dots(r, z, channels);
            var alpha = new double[channels];
            var beta = new double[channels];
            bool[] active = Dots(r, r, channels).Select((d, c) => Math.Sqrt(d) > targets[c]).ToArray();
            // Exact arithmetic needs at most n iterations; the cap only guards against a stall.
            for (int iteration = 0; active.Any(a => a); iteration++)
            {
                if (iteration > 10 * n + 100) throw new InvalidOperationException($"the imputation did not converge in {iteration} iterations");
                Multiply(p, q, channels);
                double[] pq = Dots(p, q, channels);
                // A converged channel takes no more steps: its x and r stay as they are.
                for (int c = 0; c < channels; c++) alpha[c] = active[c] ? rz[c] / pq[c] : 0;
                for (int i = 0; i < size; i++)
                {
                    x[i] += alpha[i % channels] * p[i];
                    r[i] -= alpha[i % channels] * q[i];
                }
                Precondition(r, z, channels);
                double[] next = Dots(r, z, channels), residuals = Dots(r, r, channels);
                for (int c = 0; c < channels; c++)
                {
                    beta[c] = active[c] ? next[c] / rz[c] : 0;
                    rz[c] = next[c];
                    active[c] = active[c] && Math.Sqrt(residuals[c]) > targets[c];
                }
                for (int i = 0; i < size; i++) p[i] = z[i] + beta[i % channels] * p[i];
            }
            return x;
        }

        /// <summary>
        /// z = P⁻¹ r for SSOR's P = (D/ω − W_lower) (D/ω)⁻¹ (D/ω − W_upper), unknowns in raster order: one forward
        /// and one backward sweep. Any ω in (0, 2) keeps P symmetric positive definite; it only changes the speed.
        /// </summary>
        private void Precondition(double[] r, double[] z, int channels)
        {
            var sum = new double[channels];
            for (int u = 0; u < diagonal.Length; u++)
            {
                Array.Clear(sum);
                lower.AddRow(u, z, sum);
                for (int c = 0; c < channels; c++) z[u * channels + c] = Relaxation * (r[u * channels + c] + sum[c]) / diagonal[u];
            }
            for (int u = diagonal.Length - 1; u >= 0; u--)
            {
                Array.Clear(sum);
                upper.AddRow(u, z, sum);
                for (int c = 0; c < channels; c++) z[u * channels + c] += Relaxation * sum[c] / diagonal[u];
            }
        }

        /// <summary>result = (diag(s) − W) v, channel by channel.</summary>
        private void Multiply(double[] v, double[] result, int channels)
        {
            var sum = new double[channels];
            for (int u = 0; u < diagonal.Length; u++)
            {
                Array.Clear(sum);
                lower.AddRow(u, v, sum);
                upper.AddRow(u, v, sum);
                for (int c = 0; c < channels; c++) result[u * channels + c] = diagonal[u] * v[u * channels + c] - sum[c];
            }
        }

        /// <summary>The dot product of each channel of two interleaved vectors.</summary>
        private static double[] Dots(double[] a, double[] b, int channels)
        {
            var sums = new double[channels];
            for (int i = 0; i < a.Length; i++) sums[i % channels] += a[i] * b[i];
            return sums;
        }

        /// <summary>Weighted links between unknowns in compressed rows: row u's entries are start[u] to start[u + 1].</summary>
        private sealed class Links
        {
            private readonly int[] start;
            private readonly int[] unknowns;
            private readonly double[] weights;

            /// <summary>The links, which must come in row order.</summary>
            public Links(int rows, List<(int Row, int Unknown, double Weight)> links)
            {
                start = new int[rows + 1];
                foreach (var link in links) start[link.Row + 1]++;
                for (int u = 0; u < rows; u++) start[u + 1] += start[u];
                unknowns = links.Select(l => l.Unknown).ToArray();
                weights = links.Select(l => l.Weight).ToArray();
            }

            /// <summary>Adds Σ weight · v[unknown, c] over row <paramref name="u"/> to <paramref name="sums"/>[c], v interleaved by channel.</summary>
            public void AddRow(int u, double[] v, double[] sums)
            {
                int channels = sums.Length;
                for (int k = start[u]; k < start[u + 1]; k++)
                {
                    double weight = weights[k];
                    int offset = unknowns[k] * channels;
                    for (int c = 0; c < channels; c++) sums[c] += weight * v[offset + c];
                }
            }
        }
    }
}
