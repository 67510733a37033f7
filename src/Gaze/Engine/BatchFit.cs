namespace Gaze.Engine;

/// <summary>
/// A requested batch size (<c>--batch</c>) fitted to the activation budget of <see cref="ResourceLimits"/>: the batch
/// size to use and, when the request had to be reduced, the one warning owed to the user.
/// </summary>
/// <param name="Requested">The batch size asked for.</param>
/// <param name="Batch">The batch size to use: <paramref name="Requested"/>, or less to fit the budget, never below 1.</param>
/// <param name="BytesPerImage">The estimated activation memory of one image (0 when not estimated: a batch of 1 needs no estimate).</param>
/// <param name="Budget">The budget, <see cref="ResourceLimits.MaxBatchActivationBytes"/>.</param>
public sealed record BatchFit(int Requested, int Batch, long BytesPerImage, long Budget)
{
    /// <summary>
    /// Fits <paramref name="requested"/> to <paramref name="limits"/>; <paramref name="bytesPerImage"/> (which may run a
    /// probe of the model) is called only for a batch above 1.
    /// </summary>
    public static BatchFit For(int requested, Func<long> bytesPerImage, ResourceLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bytesPerImage);
        ArgumentNullException.ThrowIfNull(limits);
        if (requested <= 1) return new BatchFit(requested, 1, 0, limits.MaxBatchActivationBytes);
        long bytes = bytesPerImage();
        return new BatchFit(requested, limits.BatchFor(requested, bytes), bytes, limits.MaxBatchActivationBytes);
    }

    /// <summary>Whether <see cref="Batch"/> is smaller than <see cref="Requested"/>.</summary>
    public bool Reduced => Batch < Requested;

    /// <summary>The warning for a reduced batch (naming <c>--batch</c>, the estimate and the budget), else null.</summary>
    public string? Warning => Reduced
        ? $"--batch {Requested} would take about {ResourceLimits.FormatBytes(BytesPerImage * (long)Requested)} of activations, " +
          $"more than the {ResourceLimits.FormatBytes(Budget)} budget; using --batch {Batch}"
        : null;
}
