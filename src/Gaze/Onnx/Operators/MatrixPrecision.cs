using Gaze.Engine;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// Casts for the operators that run in the graph's <see cref="Precision"/> (convolutions and matrix products):
/// float32 operands go in as bfloat16 under <see cref="Precision.BFloat16"/>, and results come back as float32,
/// so every other operator keeps seeing float32. Autograd follows the casts.
/// </summary>
internal static class MatrixPrecision
{
    /// <summary><paramref name="t"/> in the compute type of <paramref name="precision"/> (unchanged for fp32 or non-float32 tensors).</summary>
    public static Tensor In(Tensor t, Precision precision) =>
        precision == Precision.BFloat16 && t.dtype == ScalarType.Float32 ? t.to(ScalarType.BFloat16) : t;

    /// <summary>The optional <paramref name="t"/> in the compute type of <paramref name="precision"/>.</summary>
    public static Tensor? OptionalIn(Tensor? t, Precision precision) => t is null ? null : In(t, precision);

    /// <summary>A result back in float32.</summary>
    public static Tensor Out(Tensor t) => t.dtype == ScalarType.BFloat16 ? t.to(ScalarType.Float32) : t;
}
