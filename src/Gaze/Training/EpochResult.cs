namespace Gaze.Training;

/// <summary>One finished training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">How many epochs the run has.</param>
/// <param name="Loss">Mean training cross-entropy.</param>
/// <param name="TrainAccuracy">Training accuracy (on augmented images).</param>
/// <param name="ValidationAccuracy">Accuracy on the held-out images.</param>
/// <param name="Seconds">Time since the run started.</param>
public sealed record EpochReport(int Epoch, int Epochs, double Loss, double TrainAccuracy, double ValidationAccuracy, double Seconds);
