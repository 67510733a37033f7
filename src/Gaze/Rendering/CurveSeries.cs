namespace Gaze.Rendering;

/// <summary>One named line of a <see cref="CurvePlot"/>.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, one per x.</param>
/// <param name="Dashed">Drawn dashed (baselines), so that the methods stand out.</param>
public sealed record CurveSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Dashed = false);
