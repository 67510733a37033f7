namespace Gaze.Errors;

/// <summary>
/// The model's input size is so large that one image's activations alone would exceed the memory budget; refused
/// before the model runs at that size.
/// </summary>
public sealed class ActivationBudgetException : GazeFileException
{
    /// <summary>Creates the exception for the model at <paramref name="path"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="problem">The size, the estimate and the budget, in words.</param>
    public ActivationBudgetException(string path, string problem) : base(path, problem) { }
}
