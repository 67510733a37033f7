namespace Gaze.Training;

/// <summary>How <see cref="ShapesTrainer"/> trains the shapes network; the defaults make the shipped model.</summary>
public sealed record ShapesTrainingOptions
{
    /// <summary>Input side in pixels; the 128-pixel shapes are resized to it.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Passes over the training images, each in a new random order with new augmentation.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Training images, generated once before training.</summary>
    public int TrainingImages { get; init; } = 6000;

    /// <summary>Images per optimisation step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's peak learning rate, reached after a linear warm-up of 200 steps, then decayed along a cosine to zero.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>
    /// Seed of the initial weights, the augmentation and the training images (generator seed <c>Seed</c>); the
    /// validation images use generator seed <c>Seed + 1</c>.
    /// </summary>
    public int Seed { get; init; } = 1;

    /// <summary>Held-out images scored after each epoch.</summary>
    public int ValidationImages { get; init; } = 500;
}
