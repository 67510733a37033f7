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
/// and is solved by conjugate gradients preconditioned with one multigrid V-cycle, in double precision, until the
/// residual is at most <see cref="Tolerance"/> times the right-hand side (pytorch-grad-cam's
/// <c>NoisyLinearImputer</c> builds the same system and solves it directly with SciPy's sparse LU). Gaussian noise of
/// the given standard deviation, in input tensor units, is then added to every imputed value from a seeded generator,
/// so that a seed always gives the same image.
/// </summary>
public static class NoisyLinearImputation
{
    /// <summary>The weight of each of the 4 direct neighbours.</summary>
    public const double DirectWeight = 1.0 / 6;

    /// <summary>The weight of each of the 4 diagonal neighbours.</summary>
    public const double DiagonalWeight = 1.0 / 12;

    /// <summary>The solver stops when the residual's norm is at most this fraction of the right-hand side's.</summary>
    public const double Tolerance = 1e-6;

    // Grids with at most this many unknowns are solved directly (dense Cholesky) at the bottom of the V-cycle.
    private const int CoarsestUnknowns = 64;

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
        if (removed.dim() != 2)
            throw new ArgumentException($"expected a mask [H,W], got [{string.Join(",", removed.shape)}]", nameof(removed));
        using var scope = NewDisposeScope();
        Tensor many = ImputeMany(image, removed.unsqueeze(0), noise, seed);
        return many[0].view(image.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="image"/> imputed once for each of the masks <paramref name="removedMasks"/>, the masks solved in
    /// parallel. Mask k draws its noise with <c>DeterministicRandom.ForItem(seed, k)</c>, so
    /// <see cref="Impute(Tensor, Tensor, double, int)"/> with the same seed equals mask 0's result.
    /// </summary>
    /// <param name="image">One image [1,C,H,W] or [C,H,W].</param>
    /// <param name="removedMasks">[K,H,W], true (or non-zero) where a pixel is to be imputed.</param>
    /// <param name="noise">The noise's standard deviation in input tensor units; 0 for none.</param>
    /// <param name="seed">The noise's seed.</param>
    /// <returns>A new tensor [K,C,H,W] of the image's type and device.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit, or a mask removes every pixel.</exception>
    public static Tensor ImputeMany(Tensor image, Tensor removedMasks, double noise = 0, int seed = 0)
    {
        if (image.dim() is not (3 or 4) || (image.dim() == 4 && image.shape[0] != 1))
            throw new ArgumentException($"expected one image [1,C,H,W] or [C,H,W], got [{string.Join(",", image.shape)}]", nameof(image));
        int channels = (int)image.shape[^3], height = (int)image.shape[^2], width = (int)image.shape[^1];
        if (removedMasks.dim() != 3 || removedMasks.shape[1] != height || removedMasks.shape[2] != width)
            throw new ArgumentException($"expected masks [K,{height},{width}], got [{string.Join(",", removedMasks.shape)}]", nameof(removedMasks));
        int count = (int)removedMasks.shape[0], plane = height * width;
        using var scope = NewDisposeScope();
        float[] pixels = image.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        bool[] all = removedMasks.detach().cpu().to(ScalarType.Bool).contiguous().data<bool>().ToArray();
        bool[][] masks = Enumerable.Range(0, count).Select(k => all.AsSpan(k * plane, plane).ToArray()).ToArray();
        DeterministicRandom[] randoms = Enumerable.Range(0, count).Select(k => DeterministicRandom.ForItem(seed, k)).ToArray();
        float[][] results = ImputeMany(pixels, channels, height, width, masks, noise, randoms);
        var flat = new float[(long)count * channels * plane];
        for (int k = 0; k < count; k++) results[k].CopyTo(flat, (long)k * channels * plane);
        return tensor(flat, [count, channels, height, width]).to(image.dtype, image.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The imputation of a channels-first array [C,H,W] for each mask, masks solved in parallel, mask k drawing its
    /// noise from <paramref name="randoms"/>[k]: new arrays, <paramref name="pixels"/> untouched.
    /// </summary>
    internal static float[][] ImputeMany(float[] pixels, int channels, int height, int width, bool[][] removed, double noise, DeterministicRandom[] randoms)
    {
        int plane = height * width;
        foreach (bool[] mask in removed)
        {
            if (plane > 0 && Array.TrueForAll(mask, r => r))
                throw new ArgumentException("every pixel is removed: there is nothing to impute from", nameof(removed));
        }
        var results = new float[removed.Length][];
        Parallel.For(0, removed.Length, k => results[k] = Impute(pixels, channels, height, width, removed[k], noise, randoms[k]));
        return results;
    }

    /// <summary>
    /// The imputation on a channels-first array [C,H,W]: a new array, <paramref name="pixels"/> untouched. The noise
    /// is drawn channel by channel, removed pixels in raster order.
    /// </summary>
    internal static float[] Impute(float[] pixels, int channels, int height, int width, bool[] removed, double noise, DeterministicRandom random)
    {
        int plane = height * width;
        if (plane > 0 && Array.TrueForAll(removed, r => r))
            throw new ArgumentException("every pixel is removed: there is nothing to impute from", nameof(removed));
        float[] result = (float[])pixels.Clone();
        if (!Array.Exists(removed, r => r)) return result;
        var system = new ImputationSystem(height, width, removed, channels);
        double[] solution = system.Solve(pixels);
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    if (!removed[y * width + x]) continue;
                    double value = solution[system.Fine.Index(y, x) * channels + c] + (noise == 0 ? 0 : noise * Gaussian(random));
                    result[c * plane + y * width + x] = (float)value;
                }
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

    /// <summary>
    /// The system of one mask, shared by every channel, on the pixel grid: a 3 x 3 stencil per pixel, zero on known
    /// pixels, and a hierarchy of coarser grids for the multigrid preconditioner.
    /// </summary>
    private sealed class ImputationSystem
    {
        private readonly int height;
        private readonly int width;
        private readonly int channels;
        private readonly bool[] removed;

        public ImputationSystem(int height, int width, bool[] removed, int channels)
        {
            (this.height, this.width, this.removed, this.channels) = (height, width, removed, channels);
            Fine = new StencilGrid(height, width, channels);
            double[] stencil = Fine.Stencil;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    if (!removed[y * width + x]) continue;
                    int p = Fine.Index(y, x);
                    for (int k = 0; k < 9; k++)
                    {
                        int ny = y + k / 3 - 1, nx = x + k % 3 - 1;
                        if (k == 4 || ny < 0 || nx < 0 || ny >= height || nx >= width) continue;
                        double weight = (k % 2 == 0) ? DiagonalWeight : DirectWeight;
                        stencil[9 * p + 4] += weight;
                        if (removed[ny * width + nx]) stencil[9 * p + k] = -weight;
                    }
                }
            }
            Fine.Coarsen();
        }

        /// <summary>The finest grid: the system itself.</summary>
        public StencilGrid Fine { get; }

        /// <summary>
        /// The unknowns of every channel of <paramref name="pixels"/> [C,H,W], on <see cref="Fine"/>'s padded grid
        /// with the channels interleaved (point p, channel c at p · C + c; zero at known pixels): conjugate gradients
        /// from zero preconditioned by one symmetric V-cycle, each channel with its own step sizes and stopping when its
        /// own residual is small enough.
        /// </summary>
        public double[] Solve(float[] pixels)
        {
            StencilGrid grid = Fine;
            int plane = height * width, size = grid.Size * channels;
            var b = new double[size];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    if (!removed[y * width + x]) continue;
                    int at = grid.Index(y, x) * channels;
                    for (int k = 0; k < 9; k++)
                    {
                        int ny = y + k / 3 - 1, nx = x + k % 3 - 1;
                        if (k == 4 || ny < 0 || nx < 0 || ny >= height || nx >= width || removed[ny * width + nx]) continue;
                        double weight = (k % 2 == 0) ? DiagonalWeight : DirectWeight;
                        for (int c = 0; c < channels; c++) b[at + c] += weight * pixels[c * plane + ny * width + nx];
                    }
                }
            }
            var solution = new double[size];
            double[] targets = Dots(b, b).Select(d => Tolerance * Math.Sqrt(d)).ToArray();
            bool[] active = targets.Select(t => t > 0).ToArray();
            var r = (double[])b.Clone();
            var z = new double[size];
            var q = new double[size];
            grid.VCycle(r, z);
            var p = (double[])z.Clone();
            double[] rz = Dots(r, z);
            var alpha = new double[channels];
            var beta = new double[channels];
            for (int iteration = 0; active.Contains(true); iteration++)
            {
                if (iteration > 1000) throw new InvalidOperationException($"the imputation did not converge in {iteration} iterations");
                grid.Multiply(p, q);
                double[] pq = Dots(p, q);
                // A converged channel takes no more steps: its solution and residual stay as they are.
                for (int c = 0; c < channels; c++) alpha[c] = active[c] ? rz[c] / pq[c] : 0;
                for (int i = 0; i < size; i += channels)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        solution[i + c] += alpha[c] * p[i + c];
                        r[i + c] -= alpha[c] * q[i + c];
                    }
                }
                double[] residuals = Dots(r, r);
                for (int c = 0; c < channels; c++) active[c] = active[c] && Math.Sqrt(residuals[c]) > targets[c];
                if (!active.Contains(true)) break;
                grid.VCycle(r, z);
                double[] next = Dots(r, z);
                for (int c = 0; c < channels; c++)
                {
                    beta[c] = active[c] ? next[c] / rz[c] : 0;
                    rz[c] = next[c];
                }
                for (int i = 0; i < size; i += channels)
                {
                    for (int c = 0; c < channels; c++) p[i + c] = z[i + c] + beta[c] * p[i + c];
                }
            }
            return solution;
        }

        /// <summary>The dot product of each channel of two interleaved vectors.</summary>
        private double[] Dots(double[] a, double[] b)
        {
            var sums = new double[channels];
            for (int i = 0; i < a.Length; i += channels)
            {
                for (int c = 0; c < channels; c++) sums[c] += a[i + c] * b[i + c];
            }
            return sums;
        }
    }

    /// <summary>
    /// A symmetric operator on an H x W grid with one ring of padding, applied to C interleaved channels at once: 9
    /// coefficients per point, coefficient k linking the point to its neighbour (k / 3 − 1, k % 3 − 1), k = 4 the
    /// diagonal. Points whose diagonal is 0 are not unknowns and keep the value 0. Coarser grids are Galerkin products
    /// Pᵀ A P, P the bilinear interpolation from the points with even coordinates.
    /// </summary>
    private sealed class StencilGrid
    {
        private readonly int height;
        private readonly int width;
        private readonly int stride;
        private readonly int channels;
        private readonly int[] offsets;
        private StencilGrid? coarse;
        // Interpolation: each point's (up to 4) coarse parents, as coarse indices and weights (0 for none).
        private int[]? parents;
        private double[]? parentWeights;
        private double[]? coarseRight;
        private double[]? coarseSolution;
        private double[]? residual;
        // The direct solve on the coarsest grid: its unknowns and the Cholesky factor of their dense matrix.
        private int[]? denseUnknowns;
        private double[]? cholesky;
        private double[] inverseDiagonal = [];

        public StencilGrid(int height, int width, int channels)
        {
            (this.height, this.width, this.channels, stride) = (height, width, channels, width + 2);
            Size = (height + 2) * stride;
            Stencil = new double[9 * Size];
            offsets = Enumerable.Range(0, 9).Select(k => (k / 3 - 1) * stride + k % 3 - 1).ToArray();
        }

        /// <summary>The number of points, padding included.</summary>
        public int Size { get; }

        /// <summary>The coefficients, 9 per point.</summary>
        public double[] Stencil { get; }

        /// <summary>The index of grid point (y, x) in the padded arrays.</summary>
        public int Index(int y, int x) => (y + 1) * stride + x + 1;

        /// <summary>Builds the coarser grids below this one, down to a grid solved directly.</summary>
        public void Coarsen()
        {
            int coarseHeight = height / 2 + 1, coarseWidth = width / 2 + 1, unknowns = 0;
            inverseDiagonal = new double[Size];
            for (int p = 0; p < Size; p++)
            {
                if (Stencil[9 * p + 4] <= 0) continue;
                unknowns++;
                inverseDiagonal[p] = 1 / Stencil[9 * p + 4];
            }
            if (unknowns <= CoarsestUnknowns || coarseHeight * coarseWidth > 0.75 * height * width)
            {
                Factor();
                return;
            }
            var next = new StencilGrid(coarseHeight, coarseWidth, channels);
            coarse = next;
            coarseRight = new double[next.Size * channels];
            coarseSolution = new double[next.Size * channels];
            residual = new double[Size * channels];
            parents = new int[4 * Size];
            parentWeights = new double[4 * Size];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int p = Index(y, x);
                    if (Stencil[9 * p + 4] == 0) continue;
                    int y0 = y / 2, y1 = (y + 1) / 2, x0 = x / 2, x1 = (x + 1) / 2;
                    double wy = y0 == y1 ? 1 : 0.5, wx = x0 == x1 ? 1 : 0.5;
                    // A missing parent repeats the first with weight 0, so that loops over 4 parents need no branch.
                    parents[4 * p] = parents[4 * p + 1] = parents[4 * p + 2] = parents[4 * p + 3] = next.Index(y0, x0);
                    parentWeights[4 * p] = wy * wx;
                    if (x1 != x0) (parents[4 * p + 1], parentWeights[4 * p + 1]) = (next.Index(y0, x1), wy * wx);
                    if (y1 != y0) (parents[4 * p + 2], parentWeights[4 * p + 2]) = (next.Index(y1, x0), wy * wx);
                    if (x1 != x0 && y1 != y0) (parents[4 * p + 3], parentWeights[4 * p + 3]) = (next.Index(y1, x1), wy * wx);
                }
            }
            // A_c[I, J] = Σ P[i, I] A[i, j] P[j, J] over fine points i and their neighbours j; J − I is one of the
            // coarse stencil's 9 offsets.
            int coarseStride = next.stride;
            var offsetSlot = new int[2 * coarseStride + 3];
            for (int k = 0; k < 9; k++) offsetSlot[next.offsets[k] + coarseStride + 1] = k;
            double[] fine = Stencil, product = next.Stencil;
            for (int p = 0; p < Size; p++)
            {
                if (fine[9 * p + 4] == 0) continue;
                for (int k = 0; k < 9; k++)
                {
                    // Known neighbours have zero coefficients and missing parents zero weights: adding their zero
                    // products is cheaper than branching on them.
                    double a = fine[9 * p + k];
                    int j = p + offsets[k];
                    if (fine[9 * j + 4] == 0) j = p;
                    for (int m = 0; m < 4; m++)
                    {
                        double left = parentWeights[4 * p + m] * a;
                        int row = parents[4 * p + m];
                        for (int n = 0; n < 4; n++)
                            product[9 * row + offsetSlot[parents[4 * j + n] - row + coarseStride + 1]] += left * parentWeights[4 * j + n];
                    }
                }
            }
            next.Coarsen();
        }

        /// <summary>The dense Cholesky factor of the unknowns' matrix, for the coarsest grid.</summary>
        private void Factor()
        {
            denseUnknowns = Enumerable.Range(0, Size).Where(p => Stencil[9 * p + 4] > 0).ToArray();
            int n = denseUnknowns.Length;
            var position = new Dictionary<int, int>();
            for (int i = 0; i < n; i++) position[denseUnknowns[i]] = i;
            cholesky = new double[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < 9; k++)
                {
                    if (Stencil[9 * denseUnknowns[i] + k] != 0 && position.TryGetValue(denseUnknowns[i] + offsets[k], out int j))
                        cholesky[i * n + j] = Stencil[9 * denseUnknowns[i] + k];
                }
            }
            // Pᵀ A P is only semidefinite when coarse points share all their fine points: a pivot that vanishes
            // (relative to its diagonal) drops its unknown, which keeps the preconditioner symmetric.
            for (int j = 0; j < n; j++)
            {
                double diagonal = cholesky[j * n + j];
                for (int k = 0; k < j; k++) diagonal -= cholesky[j * n + k] * cholesky[j * n + k];
                bool dropped = diagonal <= 1e-12 * cholesky[j * n + j];
                double pivot = dropped ? 0 : Math.Sqrt(diagonal);
                cholesky[j * n + j] = pivot;
                for (int i = j + 1; i < n; i++)
                {
                    double value = cholesky[i * n + j];
                    for (int k = 0; k < j; k++) value -= cholesky[i * n + k] * cholesky[j * n + k];
                    cholesky[i * n + j] = dropped ? 0 : value / pivot;
                }
            }
        }

        /// <summary>result = A v, every channel. Known points have zero coefficients: no branches, which random masks would mispredict.</summary>
        public void Multiply(double[] v, double[] result)
        {
            double[] a = Stencil;
            int[] o = offsets;
            int channels = this.channels;
            if (channels == 3)
            {
                for (int p = stride + 1; p < Size - stride - 1; p++)
                {
                    int s = 9 * p;
                    double r0 = 0, r1 = 0, r2 = 0;
                    for (int k = 0; k < 9; k++)
                    {
                        double weight = a[s + k];
                        int from = 3 * (p + o[k]);
                        r0 += weight * v[from];
                        r1 += weight * v[from + 1];
                        r2 += weight * v[from + 2];
                    }
                    (result[3 * p], result[3 * p + 1], result[3 * p + 2]) = (r0, r1, r2);
                }
                return;
            }
            Array.Clear(result);
            for (int p = stride + 1; p < Size - stride - 1; p++)
            {
                int s = 9 * p, to = p * channels;
                for (int k = 0; k < 9; k++)
                {
                    double weight = a[s + k];
                    int from = (p + o[k]) * channels;
                    for (int c = 0; c < channels; c++) result[to + c] += weight * v[from + c];
                }
            }
        }

        /// <summary>
        /// One Gauss–Seidel sweep on A x = b, every channel, forwards or backwards in raster order. A known point has
        /// zero coefficients, right-hand side and inverse diagonal, so it stays 0 without a branch.
        /// </summary>
        private void Smooth(double[] b, double[] x, bool forwards)
        {
            double[] a = Stencil, inverse = inverseDiagonal;
            int[] o = offsets;
            int channels = this.channels, first = stride + 1, last = Size - stride - 2;
            for (int step = 0; step <= last - first; step++)
            {
                int p = forwards ? first + step : last - step, s = 9 * p, to = p * channels;
                if (channels == 3)
                {
                    double s0 = b[to], s1 = b[to + 1], s2 = b[to + 2];
                    for (int k = 0; k < 9; k++)
                    {
                        if (k == 4) continue;
                        double weight = a[s + k];
                        int from = 3 * (p + o[k]);
                        s0 -= weight * x[from];
                        s1 -= weight * x[from + 1];
                        s2 -= weight * x[from + 2];
                    }
                    double d = inverse[p];
                    (x[to], x[to + 1], x[to + 2]) = (s0 * d, s1 * d, s2 * d);
                    continue;
                }
                for (int c = 0; c < channels; c++)
                {
                    double sum = b[to + c];
                    for (int k = 0; k < 9; k++)
                    {
                        if (k != 4) sum -= a[s + k] * x[(p + o[k]) * channels + c];
                    }
                    x[to + c] = sum * inverse[p];
                }
            }
        }

        /// <summary>
        /// x ≈ A⁻¹ b by one V-cycle from zero: a forward Gauss–Seidel sweep, the coarse correction, a backward sweep.
        /// The backward sweep is the forward one's adjoint, so the cycle is a symmetric positive definite operator.
        /// </summary>
        public void VCycle(double[] b, double[] x)
        {
            Array.Clear(x);
            if (coarse is null)
            {
                SolveDense(b, x);
                return;
            }
            int channels = this.channels;
            double[] r = residual!, right = coarseRight!, e = coarseSolution!, weights = parentWeights!;
            int[] up = parents!;
            Smooth(b, x, forwards: true);
            Multiply(x, r);
            for (int i = 0; i < r.Length; i++) r[i] = b[i] - r[i];
            // Restriction Pᵀ r, coarse cycle, interpolation P e; known points and missing parents have zero weights.
            Array.Clear(right);
            for (int p = 0; p < Size; p++)
            {
                for (int m = 0; m < 4; m++)
                {
                    double weight = weights[4 * p + m];
                    int to = up[4 * p + m] * channels, from = p * channels;
                    for (int c = 0; c < channels; c++) right[to + c] += weight * r[from + c];
                }
            }
            coarse.VCycle(right, e);
            for (int p = 0; p < Size; p++)
            {
                for (int m = 0; m < 4; m++)
                {
                    double weight = weights[4 * p + m];
                    int from = up[4 * p + m] * channels, to = p * channels;
                    for (int c = 0; c < channels; c++) x[to + c] += weight * e[from + c];
                }
            }
            Smooth(b, x, forwards: false);
        }

        private void SolveDense(double[] b, double[] x)
        {
            int[] unknowns = denseUnknowns!;
            double[] l = cholesky!;
            int n = unknowns.Length, channels = this.channels;
            var work = new double[n];
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < n; i++)
                {
                    double value = b[unknowns[i] * channels + c];
                    for (int k = 0; k < i; k++) value -= l[i * n + k] * work[k];
                    work[i] = l[i * n + i] == 0 ? 0 : value / l[i * n + i];
                }
                for (int i = n - 1; i >= 0; i--)
                {
                    double value = work[i];
                    for (int k = i + 1; k < n; k++) value -= l[k * n + i] * work[k];
                    work[i] = l[i * n + i] == 0 ? 0 : value / l[i * n + i];
                }
                for (int i = 0; i < n; i++) x[unknowns[i] * channels + c] = work[i];
            }
        }
    }
}
