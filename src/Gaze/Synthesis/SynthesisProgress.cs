namespace Gaze.Synthesis;

/// <summary>Where an optimisation stands: after <paramref name="Iteration"/> of at most <paramref name="Iterations"/> steps, <paramref name="Measure"/> is <paramref name="Value"/>.</summary>
/// <param name="Iteration">Steps done.</param>
/// <param name="Iterations">The most steps the run will take.</param>
/// <param name="Measure">What <paramref name="Value"/> is, e.g. "loss" or "p(target)".</param>
/// <param name="Value">Its current value.</param>
public sealed record SynthesisProgress(int Iteration, int Iterations, string Measure, double Value);
