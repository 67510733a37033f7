namespace Gaze.Errors;

/// <summary>
/// A node of a model failed while running, typically because the input does not fit what the model hard-codes
/// (for example an image size its Reshape does not allow). Names the model file and the node.
/// </summary>
public sealed class ModelExecutionException : GazeFileException
{
    /// <summary>Creates the exception for node <paramref name="node"/> of the model at <paramref name="path"/>.</summary>
    public ModelExecutionException(string path, string node, string opType, string problem, Exception? inner = null)
        : base(path, $"node '{node}' ({opType}) failed: {problem}", inner)
    {
        Node = node;
        OpType = opType;
    }

    /// <summary>The failing node's name (or its first output when unnamed).</summary>
    public string Node { get; }

    /// <summary>The failing node's op type.</summary>
    public string OpType { get; }
}
