namespace Gaze.Datasets;

/// <summary>Where a shape's unit outline is drawn: scaled by <see cref="Radius"/>, rotated, then moved to its centre.</summary>
internal readonly record struct ShapePlacement(float CentreX, float CentreY, float Radius, float RotationDegrees);
