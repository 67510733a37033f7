namespace Gaze.Onnx.Runtime;

/// <summary>The result of a <see cref="ParityCheck"/>.</summary>
public sealed class ParityReport
{
    internal ParityReport(string modelPath, long[] inputShape, bool isFloat16, Engine.Precision precision, IReadOnlyList<OutputParity> outputs,
        bool? gradientFinite, bool? gradientNonZero, IReadOnlyList<string> notes)
    {
        Precision = precision;
        ModelPath = modelPath;
        InputShape = inputShape;
        IsFloat16 = isFloat16;
        Outputs = outputs;
        GradientFinite = gradientFinite;
        GradientNonZero = gradientNonZero;
        Notes = notes;
    }

    /// <summary>The model checked.</summary>
    public string ModelPath { get; }

    /// <summary>Shape of the (first) random input.</summary>
    public long[] InputShape { get; }

    /// <summary>True for float16 models, which get the looser tolerance.</summary>
    public bool IsFloat16 { get; }

    /// <summary>The number format Gaze's convolutions and matrix products ran in.</summary>
    public Engine.Precision Precision { get; }

    /// <summary>
    /// The allowed relative difference: 1e-4 for float32 models, 2e-3 for float16 models, and 6e-2 when Gaze computes in
    /// bfloat16 (8 significant bits per operand: each product is rounded to about 4e-3, and a deep network adds up
    /// such roundings).
    /// </summary>
    public double Tolerance => Precision == Engine.Precision.BFloat16 ? BFloat16Tolerance : IsFloat16 ? 2e-3 : 1e-4;

    /// <summary>The tolerance of bfloat16 runs.</summary>
    public const double BFloat16Tolerance = 6e-2;

    /// <summary>Per-output comparison.</summary>
    public IReadOnlyList<OutputParity> Outputs { get; }

    /// <summary>Whether the input gradient is finite everywhere (null when not checked).</summary>
    public bool? GradientFinite { get; }

    /// <summary>Whether the input gradient has a non-zero element (null when not checked).</summary>
    public bool? GradientNonZero { get; }

    /// <summary>How the reference run had to be adapted (per-sample runs for a fixed batch, relaxed input size ...).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>True when every output is within <see cref="Tolerance"/> and the gradient (if checked) is finite and non-zero.</summary>
    public bool Passed => Outputs.All(o => o.RelativeDifference <= Tolerance) && GradientFinite != false && GradientNonZero != false;
}
