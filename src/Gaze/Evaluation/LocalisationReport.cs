namespace Gaze.Evaluation;

/// <summary>What <see cref="LocalisationEvaluation"/> measured.</summary>
/// <param name="Images">Images evaluated.</param>
/// <param name="Correct">Images whose top class is the true class.</param>
/// <param name="PointingHits">Images whose heatmap maximum (for the true class) lies inside the object's box.</param>
/// <param name="Method">The CAM method used.</param>
/// <param name="Layer">Its target layer.</param>
public sealed record LocalisationReport(int Images, int Correct, int PointingHits, string Method, string Layer)
{
    /// <summary>Top-1 accuracy.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>The pointing game's hit rate (Zhang et al. 2016, without tolerance).</summary>
    public double PointingAccuracy => Images == 0 ? 0 : (double)PointingHits / Images;
}
