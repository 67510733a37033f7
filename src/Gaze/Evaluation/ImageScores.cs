namespace Gaze.Evaluation;

/// <summary>The figures of one image, for every row of the evaluation.</summary>
/// <param name="Name">The image's file or generated name.</param>
/// <param name="Class">The true class, or null for an unlabelled image.</param>
/// <param name="Predicted">The model's top class.</param>
/// <param name="Target">The class explained: the true class if known, else the predicted one.</param>
/// <param name="Rows">Per method or baseline name, its figures for this image.</param>
public sealed record ImageScores(
    string Name,
    int? Class,
    int Predicted,
    int Target,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Rows);
