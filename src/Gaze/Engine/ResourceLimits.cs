namespace Gaze.Engine;

/// <summary>
/// How much memory and how many threads one Gaze run may take from what it is given: a tiny hostile file must not
/// make it decode gigabytes, read a device forever or start a thousand threads. The defaults fit any ordinary photo
/// and model; derive other limits with <c>with { ... }</c>.
/// </summary>
public sealed record ResourceLimits
{
    /// <summary>Default of <see cref="MaxImagePixels"/>: 40 megapixels, more than any camera photo in common use.</summary>
    public const long DefaultMaxImagePixels = 40_000_000;

    /// <summary>Default of <see cref="MaxFileBytes"/>: 512 MiB.</summary>
    public const long DefaultMaxFileBytes = 512L * 1024 * 1024;

    /// <summary>Default of <see cref="MaxBatchActivationBytes"/>: 2 GiB.</summary>
    public const long DefaultMaxBatchActivationBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Default of <see cref="MaxOutputPixels"/>: 16 megapixels (4096 x 4096).</summary>
    public const long DefaultMaxOutputPixels = 4096L * 4096;

    /// <summary>
    /// An input size whose area is at most this many pixels (512 x 512) is probed directly; a larger one is first
    /// probed at this area to estimate its activations (<see cref="MaxBatchActivationBytes"/>).
    /// </summary>
    public const long EstimateProbePixels = 512L * 512;

    /// <summary>
    /// The largest model input side (sidecar <c>input.size</c>, <c>--size</c>): 4096 pixels. Fixed, because a model
    /// input is checked where its convention is read, before any limits are at hand.
    /// </summary>
    public const int MaxInputSide = 4096;

    /// <summary>The defaults.</summary>
    public static ResourceLimits Default { get; } = new();

    /// <summary>
    /// Most pixels (width times height) an image may declare in its header; larger images are refused before any
    /// pixel is decoded.
    /// </summary>
    public long MaxImagePixels { get; init; } = DefaultMaxImagePixels;

    /// <summary>Most bytes an image file may have; larger files are refused before their content is read.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>
    /// The activation memory a batch may take: a requested batch size is reduced so that the batch's estimated
    /// activations (<see cref="BatchFor"/>) stay within it.
    /// </summary>
    public long MaxBatchActivationBytes { get; init; } = DefaultMaxBatchActivationBytes;

    /// <summary>
    /// Most pixels of a heatmap or overlay written for one image: a larger image is explained at full resolution but
    /// its heatmaps and overlays are written at the largest size within this area (<see cref="OutputSize"/>), so that
    /// a 40-megapixel photo does not cost a gigabyte per method.
    /// </summary>
    public long MaxOutputPixels { get; init; } = DefaultMaxOutputPixels;

    /// <summary>Most compute threads: by default one per processor, since more only contend for the same cores.</summary>
    public int MaxThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The batch size to use for <paramref name="requested"/> images at a time when one image's activations take
    /// <paramref name="bytesPerImage"/>: the request, reduced to fit <see cref="MaxBatchActivationBytes"/>, and
    /// never below 1.
    /// </summary>
    public int BatchFor(int requested, long bytesPerImage)
    {
        if (requested <= 1 || bytesPerImage <= 0) return Math.Max(1, requested);
        long fits = Math.Max(1, MaxBatchActivationBytes / bytesPerImage);
        return (int)Math.Min(requested, fits);
    }

    /// <summary>
    /// The size heatmaps and overlays of a <paramref name="width"/> x <paramref name="height"/> image are written at:
    /// the image's own size, or the same aspect ratio scaled down to fit <see cref="MaxOutputPixels"/>.
    /// </summary>
    public (int Width, int Height) OutputSize(int width, int height)
    {
        long pixels = (long)width * height;
        if (pixels <= MaxOutputPixels) return (width, height);
        double scale = Math.Sqrt((double)MaxOutputPixels / pixels);
        return (Math.Max(1, (int)(width * scale)), Math.Max(1, (int)(height * scale)));
    }

    /// <summary>The thread count to use for <paramref name="requested"/>: at most <see cref="MaxThreads"/>.</summary>
    public int ThreadsFor(int requested) => Math.Min(requested, Math.Max(1, MaxThreads));

    /// <summary>Bytes as a short text, e.g. <c>512 MB</c> or <c>1.5 GB</c> (binary units), for messages.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):0.#} GB"),
        >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):0.#} MB"),
        >= 1L << 10 => FormattableString.Invariant($"{bytes / (double)(1L << 10):0.#} KB"),
        _ => $"{bytes} bytes",
    };
}
