namespace Gaze.Training;

/// <summary>Loss and accuracy after one training epoch (of fine-tuning or of the shapes network).</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">How many the run has.</param>
/// <param name="TrainLoss">Mean cross entropy over the epoch's training batches.</param>
/// <param name="TrainAccuracy">Share of training images classified right while training (0 to 1; the shapes
/// network trains on augmented images).</param>
/// <param name="ValidationLoss">Mean cross entropy on the validation images after the epoch; null where the trainer
/// does not compute it (the shapes network).</param>
/// <param name="ValidationAccuracy">Share of validation images classified right after the epoch (0 to 1).</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochResult(int Epoch, int Epochs, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double ValidationAccuracy, double Seconds);
