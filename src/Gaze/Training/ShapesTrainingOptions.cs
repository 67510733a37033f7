using Gaze.Errors;

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

    /// <summary>Optimisation steps over all epochs (for progress bars).</summary>
    public int StepCount => Epochs * ((TrainingImages + BatchSize - 1) / BatchSize);

    /// <summary>Checks the options that the command line exposes.</summary>
    /// <returns>These options.</returns>
    /// <exception cref="InvalidOptionException">A size that is not a multiple of 4 of at least 16, or a learning rate outside (0, 1).</exception>
    public ShapesTrainingOptions Validate()
    {
        if (Size % 4 != 0 || Size < 16) throw new InvalidOptionException("--size", "must be a multiple of 4, at least 16");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new InvalidOptionException("--learning-rate", "must be between 0 and 1");
        return this;
    }
}
