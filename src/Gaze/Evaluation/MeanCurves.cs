namespace Gaze.Evaluation;

/// <summary>A row's curves averaged over the images; an array is empty when its metric was not measured.</summary>
/// <param name="Deletion">Normalised target probability after deleting 0, 1/steps, ..., all of the pixels.</param>
/// <param name="Insertion">Normalised target probability after inserting 0, 1/steps, ..., all of the pixels.</param>
/// <param name="RoadMostRelevant">Normalised probability with each percentile of the most relevant pixels imputed.</param>
/// <param name="RoadLeastRelevant">Normalised probability with each percentile of the least relevant pixels imputed.</param>
public sealed record MeanCurves(
    IReadOnlyList<double> Deletion,
    IReadOnlyList<double> Insertion,
    IReadOnlyList<double> RoadMostRelevant,
    IReadOnlyList<double> RoadLeastRelevant);
