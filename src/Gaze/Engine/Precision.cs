namespace Gaze.Engine;

/// <summary>
/// The number format of the engine's convolutions and matrix products. Everything else (activations, pooling,
/// normalisation, softmax, the values handed back) stays float32, as in PyTorch's CPU autocast.
/// </summary>
public enum Precision
{
    /// <summary>float32 throughout (the default).</summary>
    Float32,

    /// <summary>
    /// bfloat16 operands with float32 accumulation in convolutions and matrix products, on CPUs with AVX-512-BF16
    /// or AMX (see <see cref="PrecisionSupport"/>): faster, at about three significant digits per product.
    /// </summary>
    BFloat16,
}
