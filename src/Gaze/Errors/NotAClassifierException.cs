namespace Gaze.Errors;

/// <summary>
/// A command that needs class scores was given a model whose score tensor is not [N, classes] (for example an
/// image-to-image network): its values are not classes, and ranking them would be meaningless.
/// </summary>
public sealed class NotAClassifierException : GazeFileException
{
    /// <summary>Creates the exception for the model at <paramref name="path"/> whose tensor <paramref name="tensor"/> has <paramref name="shape"/>.</summary>
    public NotAClassifierException(string path, string tensor, IReadOnlyList<long> shape)
        : base(path, $"its output '{tensor}' has shape [{string.Join(",", shape)}], not class scores [N, classes]")
    {
        Shape = shape;
    }

    /// <summary>The score tensor's shape at batch 1.</summary>
    public IReadOnlyList<long> Shape { get; }
}
