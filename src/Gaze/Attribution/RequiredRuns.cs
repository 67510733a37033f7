namespace Gaze.Attribution;

/// <summary>The network passes a method needs for one image: <paramref name="Inputs"/> inputs, <paramref name="BatchSize"/> at a time.</summary>
/// <param name="Inputs">How many inputs are run.</param>
/// <param name="BatchSize">How many run together.</param>
/// <param name="Backward">Whether each pass also goes backward to the input (gradient methods) or is forward only.</param>
public sealed record RequiredRuns(int Inputs, int BatchSize, bool Backward);
