namespace Gaze.Onnx.Runtime;

/// <summary>Forward latency of Gaze and ONNX Runtime on one model, Gaze's forward+backward pass, and the engine's own per-node overhead.</summary>
/// <param name="ModelPath">The model.</param>
/// <param name="Batch">Batch size.</param>
/// <param name="GazeMilliseconds">Median Gaze forward time (inference run, no gradients).</param>
/// <param name="OnnxRuntimeMilliseconds">Median ONNX Runtime forward time for the same batch.</param>
/// <param name="Nodes">Nodes a Gaze run executes.</param>
/// <param name="WalkMilliseconds">Median time of the same run with every operator replaced by a no-op that hands
/// back a stored result: the engine's own cost (slot handling, freeing, scopes, result collection).</param>
/// <param name="Note">How the ONNX Runtime side was run, when not as one batch.</param>
public sealed record BenchmarkResult(string ModelPath, int Batch, double GazeMilliseconds, double OnnxRuntimeMilliseconds,
    int Nodes, double WalkMilliseconds, string? Note)
{
    /// <summary>
    /// Median time of Gaze's forward pass recording gradients plus the backward pass from each sample's top score to
    /// the input (what gradient attributions pay per batch).
    /// </summary>
    public double ForwardBackwardMilliseconds { get; init; }

    /// <summary>For a reduced-precision graph: the same forward+backward pass in float32 and how closely the input gradients agree; else null.</summary>
    public PrecisionComparison? Float32Comparison { get; init; }

    /// <summary>Engine overhead as a share of Gaze's forward time, in percent.</summary>
    public double OverheadPercent => 100 * WalkMilliseconds / GazeMilliseconds;

    /// <summary>Engine overhead per node in microseconds.</summary>
    public double MicrosecondsPerNode => 1000 * WalkMilliseconds / Math.Max(1, Nodes);
}

/// <summary>A reduced-precision graph against float32 on the same batch, measured in the same rounds.</summary>
/// <param name="Float32ForwardBackwardMilliseconds">Median forward+backward pass of the float32 graph.</param>
/// <param name="GradientCorrelation">Pearson correlation of all input-gradient values with float32's (same target classes: float32's top class).</param>
/// <param name="WorstSampleCorrelation">The lowest per-sample correlation in the batch.</param>
public sealed record PrecisionComparison(double Float32ForwardBackwardMilliseconds, double GradientCorrelation, double WorstSampleCorrelation);
