namespace Gaze.Onnx.Runtime;

/// <summary>Settings of a <see cref="ParityCheck"/>.</summary>
public sealed class ParityOptions
{
    /// <summary>Batch size of the random input.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Spatial size (height, width) of 4-D image inputs; null uses the declared size, else 224x224.</summary>
    public (int Height, int Width)? Size { get; init; }

    /// <summary>Seed of the random input, so runs are reproducible.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The range input values are drawn from uniformly: by default random pixels, 0 to 255. Null draws standard normal
    /// values instead. Near-constant inputs (such as small noise fed to a model that subtracts a pixel mean itself)
    /// are ill-conditioned for instance normalisation and exaggerate rounding differences between engines.
    /// </summary>
    public (float Min, float Max)? Range { get; init; } = (0f, 255f);

    /// <summary>The number format Gaze computes convolutions and matrix products in (ONNX Runtime stays float32).</summary>
    public Engine.Precision Precision { get; init; }

    /// <summary>Also check that the gradient of the top score with respect to the input is finite and non-zero.</summary>
    public bool CheckGradient { get; init; } = true;
}
