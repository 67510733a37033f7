using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>Shape and element type of every tensor of a graph, as observed in one probe run.</summary>
internal sealed class TensorFacts(int slots)
{
    private readonly long[]?[] shapes = new long[]?[slots];
    private readonly ScalarType?[] types = new ScalarType?[slots];

    /// <summary>Records the value seen in <paramref name="slot"/>.</summary>
    public void Record(int slot, Tensor value)
    {
        shapes[slot] = value.shape;
        types[slot] = value.dtype;
    }

    /// <summary>The observed shape of <paramref name="slot"/>, or null if it was never computed.</summary>
    public long[]? Shape(int slot) => shapes[slot];

    /// <summary>The observed element type of <paramref name="slot"/>, or null.</summary>
    public ScalarType? Type(int slot) => types[slot];
}
