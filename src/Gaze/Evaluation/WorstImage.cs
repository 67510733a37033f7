namespace Gaze.Evaluation;

/// <summary>An image a method explained badly, kept for the report.</summary>
/// <param name="Name">The image's file or generated name.</param>
/// <param name="Figure">The figure it was ranked by (see <see cref="EvaluationMetrics"/>).</param>
/// <param name="Value">That figure's value for this image.</param>
/// <param name="OverlayPng">A small PNG of the heatmap over the image.</param>
public sealed record WorstImage(string Name, string Figure, double Value, byte[] OverlayPng);
