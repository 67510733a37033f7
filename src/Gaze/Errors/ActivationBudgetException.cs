namespace Gaze.Errors;

/// <summary>
/// The model's input size is so large that one image's activations alone would exceed the memory budget
/// (<see cref="Engine.ResourceLimits.MaxBatchActivationBytes"/>); refused before the model runs at that size.
/// </summary>
public sealed class ActivationBudgetException : GazeFileException
{
    /// <summary>Creates the exception for the model at <paramref name="path"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="height">The input height.</param>
    /// <param name="width">The input width.</param>
    /// <param name="estimatedBytes">The estimated activations of one image.</param>
    /// <param name="budgetBytes">The budget.</param>
    public ActivationBudgetException(string path, int height, int width, long estimatedBytes, long budgetBytes)
        : base(path, $"an input of {height}x{width} needs about {Engine.ResourceLimits.FormatBytes(estimatedBytes)} of activations " +
            $"per image, more than the {Engine.ResourceLimits.FormatBytes(budgetBytes)} budget; choose a smaller input size " +
            "(--size or the sidecar's input.size)")
    {
        EstimatedBytes = estimatedBytes;
    }

    /// <summary>The estimated activations of one image, in bytes.</summary>
    public long EstimatedBytes { get; }
}
