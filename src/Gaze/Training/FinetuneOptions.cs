using System.Globalization;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.Models;

namespace Gaze.Training;

/// <summary>What <see cref="Finetuner"/> trains, on what, and where it writes. Errors name the matching <c>gaze finetune</c> options.</summary>
public sealed record FinetuneOptions
{
    /// <summary>The ImageFolder tree (DIR/&lt;class&gt;/&lt;image&gt;) to train on.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The ONNX backbone to cut (its <c>.gaze.json</c> sidecar is read if present).</summary>
    public required string BackbonePath { get; init; }

    /// <summary>The model to write; its sidecar goes beside it and the checkpoint into <see cref="CheckpointDirectory"/>.</summary>
    public required string OutputPath { get; init; }

    /// <summary>The layer to cut at (a tensor name or module alias); null uses the backbone's CAM layer.</summary>
    public string? Layer { get; init; }

    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>
    /// How many of the backbone's last nodes with weights (nearest the layer) train along with the head; 0 trains the
    /// head alone, on features computed once per image.
    /// </summary>
    public int UnfreezeLast { get; init; }

    /// <summary>Images per optimisation step; reduced, with one warning, to fit <see cref="Limits"/>' activation budget.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The resource limits; <see cref="ResourceLimits.MaxBatchActivationBytes"/> caps <see cref="BatchSize"/>.</summary>
    public ResourceLimits Limits { get; init; } = ResourceLimits.Default;

    /// <summary>Adam's learning rate; null uses 0.01 for the head alone and 0.001 with unfrozen backbone nodes.</summary>
    public double? LearningRate { get; init; }

    /// <summary>The learning rate in use: <see cref="LearningRate"/> or its default.</summary>
    public double EffectiveLearningRate => LearningRate ?? (UnfreezeLast > 0 ? 0.001 : 0.01);

    /// <summary>Share of each class held out for validation (above 0, below 1).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seed of the split, the head's initial weights and the order of the training images.</summary>
    public int Seed { get; init; }

    /// <summary>Changes to the backbone's input convention (which comes from its sidecar, else its graph and the defaults).</summary>
    public ModelInputOverrides? InputOverrides { get; init; }

    /// <summary>Display name written into the new sidecar; null derives one from the backbone and the data folder.</summary>
    public string? Name { get; init; }

    /// <summary>Continue from the checkpoint of an interrupted run with the same data, backbone and options.</summary>
    public bool Resume { get; init; }

    /// <summary>Where checkpoints go: <c>OUT.checkpoint/</c> beside the output model.</summary>
    public string CheckpointDirectory => OutputPath + ".checkpoint";

    /// <summary>Checks every value; returns these options.</summary>
    /// <exception cref="InvalidOptionException">A value is out of range; the exception names its option.</exception>
    public FinetuneOptions Validate()
    {
        if (Epochs < 1) throw new InvalidOptionException("--epochs", $"must be at least 1, got {Epochs}");
        if (UnfreezeLast < 0) throw new InvalidOptionException("--unfreeze-last", $"must be 0 or more, got {UnfreezeLast}");
        if (BatchSize < 1) throw new InvalidOptionException("--batch", $"must be at least 1, got {BatchSize}");
        if (LearningRate is double rate && (!(rate > 0) || double.IsInfinity(rate)))
            throw new InvalidOptionException("--lr", $"must be a positive number, got {rate.ToString(CultureInfo.InvariantCulture)}");
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new InvalidOptionException("--val-fraction", $"must be above 0 and below 1, got {ValidationFraction.ToString(CultureInfo.InvariantCulture)}");
        if (string.IsNullOrWhiteSpace(OutputPath)) throw new InvalidOptionException("--out", "no output file given");
        if (Path.GetFullPath(OutputPath) == Path.GetFullPath(BackbonePath))
            throw new InvalidOptionException("--out", "is the backbone itself; choose another file");
        return this;
    }
}

/// <summary>What a fine-tuning run produced.</summary>
public sealed record FinetuneResult
{
    /// <summary>The model written.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Its sidecar.</summary>
    public required string SidecarPath { get; init; }

    /// <summary>The backbone layer the head pools (the new model's CAM layer).</summary>
    public required string Layer { get; init; }

    /// <summary>The class names, index = class.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Images trained on.</summary>
    public required int TrainImages { get; init; }

    /// <summary>Images held out.</summary>
    public required int ValidationImages { get; init; }

    /// <summary>Unreadable images that were skipped.</summary>
    public required int SkippedImages { get; init; }

    /// <summary>The epoch the run resumed after (0 for a fresh run).</summary>
    public required int ResumedAfterEpoch { get; init; }

    /// <summary>Every epoch's result, those before a resume included.</summary>
    public required IReadOnlyList<EpochResult> History { get; init; }

    /// <summary>Number of parameters trained (head and unfrozen backbone weights).</summary>
    public required long TrainedParameters { get; init; }

    /// <summary>Wall time of this run (a resumed run's own time).</summary>
    public required double Seconds { get; init; }

    /// <summary>The last epoch's validation accuracy.</summary>
    public double ValidationAccuracy => History.Count > 0 ? History[^1].ValidationAccuracy : double.NaN;
}

/// <summary>Hooks through which a <see cref="Finetuner"/> reports what it does; every one is optional.</summary>
public sealed class FinetuneCallbacks
{
    /// <summary>A problem that does not stop the run (for example unreadable images that were skipped).</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>A phase begins (reading the images, an epoch) with this many steps.</summary>
    public Action<string, int>? PhaseStarted { get; init; }

    /// <summary>One step of the current phase is done (an image read, a batch trained); the running loss and accuracy if training.</summary>
    public Action<double?, double?>? Stepped { get; init; }

    /// <summary>An epoch is done and checkpointed.</summary>
    public Action<EpochResult>? EpochFinished { get; init; }
}
