using System.Diagnostics;
using System.Globalization;
using Gaze.Datasets;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gaze.Training;

/// <summary>
/// Fine-tunes an ONNX backbone on an ImageFolder tree: cuts it at a layer (<see cref="BackboneCut"/>), trains a new
/// global-average-pool + linear head (and optionally the backbone's last weighted nodes) with Adam on cross entropy,
/// holds out a validation split, checkpoints after every epoch so that an interrupted run can resume, and writes
/// the new ONNX model with its <c>.gaze.json</c> sidecar (the backbone's input convention, the class names, the layer
/// as CAM layer).
/// </summary>
/// <remarks>
/// With the backbone frozen the head sees fixed features, so the pooled activations are computed once per image
/// (without gradients) and the head trains on them: the same result as running the whole network every step, much
/// faster. Everything random (split, initial head, order of the images in each epoch) follows from
/// <see cref="FinetuneOptions.Seed"/>, so a resumed run ends with the weights an uninterrupted one would have.
/// </remarks>
public sealed class Finetuner
{
    private readonly FinetuneCallbacks callbacks;

    // Not readonly: Run fits its BatchSize to the activation budget once the backbone is open.
    private FinetuneOptions options;

    /// <summary>Creates a fine-tuning run.</summary>
    /// <exception cref="InvalidOptionException">An option is out of range.</exception>
    public Finetuner(FinetuneOptions options, FinetuneCallbacks? callbacks = null)
    {
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.callbacks = callbacks ?? new FinetuneCallbacks();
    }

    /// <summary>Runs the fine-tuning and writes the model. Cancelling stops after the current batch; the last epoch's checkpoint stays.</summary>
    /// <exception cref="TrainingDataException">The data folder is missing, empty, has one class or no readable images to split.</exception>
    /// <exception cref="UnknownLayerException">The layer is not in the backbone.</exception>
    /// <exception cref="UnsuitableLayerException">The layer has no spatial size.</exception>
    /// <exception cref="CheckpointException">Resuming, but the checkpoint is missing or from another run.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public FinetuneResult Run(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var folder = ImageFolder.Scan(options.DataDirectory);
        string outputDirectory = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;
        if (!Directory.Exists(outputDirectory)) throw new OutputFileException(options.OutputPath, $"directory {outputDirectory} does not exist");
        var (cut, metadata, input, batch) = CutBackbone(folder.Classes.Count);
        options = options with { BatchSize = batch };
        var unfrozen = cut.LastWeightedNodeInitializers(options.UnfreezeLast);
        var checkpoint = OpenCheckpoint(folder, cut, input);

        using var graph = OnnxGraph.FromModel(cut.Model, options.BackbonePath);
        var preprocessor = new ImagePreprocessor(input);
        using var data = Prepare(folder, graph, cut, preprocessor, headOnly: options.UnfreezeLast == 0, cancellationToken);
        var split = folder.Split(data.Readable, options.ValidationFraction, options.Seed);
        string[] names = [cut.WeightName, cut.BiasName, .. unfrozen];
        var graphParameters = graph.MakeTrainable(names);
        using var head = data.Features is null ? null : new StandardisedHead(data, split, graph, cut);
        // Head-only training optimises the head of standardised features; it is folded into the graph's head at the end.
        IReadOnlyList<(string Name, Tensor Value)> trained = head?.Parameters
            ?? names.Select((n, i) => (n, (Tensor)graphParameters[i])).ToList();
        using var optimizer = torch.optim.Adam(trained.Select(p => (Parameter)p.Value), options.EffectiveLearningRate);
        var trainer = new EpochTrainer(graph, head, preprocessor, data, split, options, callbacks);
        var history = TrainEpochs(trainer, optimizer, trained, checkpoint, cancellationToken);

        head?.FoldInto(graph.Initializer(cut.WeightName), graph.Initializer(cut.BiasName));
        string sidecar = Save(graph, metadata, input, folder, cut);
        checkpoint.Delete();
        return new FinetuneResult
        {
            OutputPath = options.OutputPath,
            SidecarPath = sidecar,
            Layer = cut.Layer,
            Classes = folder.Classes,
            TrainImages = split.Train.Count,
            ValidationImages = split.Validation.Count,
            SkippedImages = data.Skipped,
            ResumedAfterEpoch = checkpoint.ResumedAfter,
            History = history,
            TrainedParameters = graphParameters.Sum(p => p.numel()),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Cuts the backbone at the chosen layer (default: its CAM layer) and adds a new head for <paramref name="classes"/>
    /// classes; fits the batch size to the activation budget, with one warning when it is reduced.
    /// </summary>
    /// <returns>The cut, the backbone's sidecar, its input convention and the batch size to train with.</returns>
    /// <remarks>
    /// The batch is fitted with the estimate <c>explain</c> uses: the input and every 4-D tensor of the whole backbone,
    /// per image. Training keeps activations and gradients only where weights train (the head, and the last
    /// <see cref="FinetuneOptions.UnfreezeLast"/> nodes); the frozen part runs without gradients and frees its
    /// tensors as it goes, so the same estimate bounds a training step too.
    /// </remarks>
    private (BackboneCut Cut, ModelMetadata Metadata, ModelInput Input, int Batch) CutBackbone(int classes)
    {
        using var backbone = LoadedModel.Open(options.BackbonePath, options.InputOverrides);
        var layer = backbone.Layers.ResolveSpatial(options.Layer);
        BatchFit fit = backbone.FitBatch(options.BatchSize, options.Limits);
        if (fit.Warning is { } warning) callbacks.Warning?.Invoke(warning);
        return (BackboneCut.Create(backbone.Graph, layer, classes, options.Seed), backbone.Metadata, backbone.Input, fit.Batch);
    }

    /// <summary>
    /// The checkpoint of this run. With <see cref="FinetuneOptions.Resume"/> it must hold a checkpoint of this very
    /// run; without, it must hold none (an unfinished run's checkpoint is not overwritten).
    /// </summary>
    private RunCheckpoint OpenCheckpoint(ImageFolder folder, BackboneCut cut, ModelInput input)
    {
        var checkpoint = new FinetuneCheckpoint(options.CheckpointDirectory);
        var identity = new CheckpointState
        {
            Epochs = options.Epochs,
            BackboneSha256 = FinetuneCheckpoint.Sha256OfFile(options.BackbonePath),
            Layer = cut.Layer,
            Classes = folder.Classes,
            DataSha256 = FinetuneCheckpoint.Sha256OfImages(folder),
            Images = folder.Images.Count,
            Input = input.ToString(),
            UnfreezeLast = options.UnfreezeLast,
            BatchSize = options.BatchSize,
            LearningRate = options.EffectiveLearningRate,
            ValidationFraction = options.ValidationFraction,
            Seed = options.Seed,
        };
        if (options.Resume)
        {
            var resumed = checkpoint.Read();
            RequireSameRun(checkpoint, resumed, identity);
            return new RunCheckpoint(checkpoint, identity, resumed);
        }
        if (checkpoint.Exists)
            throw new InvalidOptionException("--resume", $"{checkpoint.Directory} holds the checkpoint of an unfinished run; add --resume to continue it, or delete it to start over");
        return new RunCheckpoint(checkpoint, identity, null);
    }

    /// <summary>
    /// Trains the epochs the checkpoint does not hold yet (all of them in a fresh run), checkpointing after each;
    /// returns every epoch's result, those before a resume included.
    /// </summary>
    private List<EpochResult> TrainEpochs(EpochTrainer trainer, OptimizerHelper optimizer, IReadOnlyList<(string Name, Tensor Value)> trained,
        RunCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var history = checkpoint.Restore(trained, optimizer);
        for (int epoch = checkpoint.ResumedAfter + 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = trainer.Train(epoch, optimizer, cancellationToken);
            history.Add(result);
            checkpoint.Save(epoch, history, trained, optimizer);
            callbacks.EpochFinished?.Invoke(result);
        }
        return history;
    }

    /// <summary>Writes the trained model and its sidecar; returns the sidecar's path.</summary>
    private string Save(OnnxGraph graph, ModelMetadata metadata, ModelInput input, ImageFolder folder, BackboneCut cut)
    {
        OnnxWriter.Save(graph, options.OutputPath);
        return ModelMetadataWriter.WriteFor(options.OutputPath, new ModelMetadata
        {
            Name = options.Name ?? $"{metadata.Name ?? Path.GetFileNameWithoutExtension(options.BackbonePath)} fine-tuned on {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder.Root)))}",
            Input = input,
            Labels = folder.Classes,
            CamLayer = cut.Layer,
        });
    }

    /// <summary>Refuses a checkpoint made from other data, another backbone or other options, naming the first difference.</summary>
    private static void RequireSameRun(FinetuneCheckpoint checkpoint, CheckpointState stored, CheckpointState now)
    {
        string? difference =
            stored.BackboneSha256 != now.BackboneSha256 ? "another backbone (--backbone's file differs)"
            : stored.Layer != now.Layer ? $"another --layer ('{stored.Layer}', now '{now.Layer}')"
            : !stored.Classes.SequenceEqual(now.Classes) ? $"other classes ({string.Join(", ", stored.Classes)}; now {string.Join(", ", now.Classes)})"
            : stored.DataSha256 != now.DataSha256 ? $"other images ({stored.Images} files then, {now.Images} now, or renamed/moved files)"
            : stored.Input != now.Input ? $"another input convention ({stored.Input}; now {now.Input})"
            : stored.UnfreezeLast != now.UnfreezeLast ? $"--unfreeze-last {stored.UnfreezeLast} (now {now.UnfreezeLast})"
            : stored.BatchSize != now.BatchSize ? $"--batch {stored.BatchSize} (now {now.BatchSize})"
            : stored.LearningRate != now.LearningRate ? $"--lr {Show(stored.LearningRate)} (now {Show(now.LearningRate)})"
            : stored.ValidationFraction != now.ValidationFraction ? $"--val-fraction {Show(stored.ValidationFraction)} (now {Show(now.ValidationFraction)})"
            : stored.Seed != now.Seed ? $"--seed {stored.Seed} (now {now.Seed})"
            : null;
        if (difference is not null)
            throw new CheckpointException(checkpoint.Directory, $"was made with {difference}; resume with the same data, backbone and options, or run without --resume to start over");
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Decodes every image once: unreadable ones are skipped (one warning with the count and the first), and for
    /// head-only training the layer's pooled activations are computed here, in batches, without gradients.
    /// </summary>
    private PreparedData Prepare(ImageFolder folder, OnnxGraph graph, BackboneCut cut, ImagePreprocessor preprocessor, bool headOnly,
        CancellationToken cancellationToken)
    {
        callbacks.PhaseStarted?.Invoke(headOnly ? "computing features" : "reading images", folder.Images.Count);
        var readable = new List<LabeledImage>();
        var featureRows = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var chunks = new List<Tensor>();
        try
        {
            foreach (var batch in folder.Images.Chunk(options.BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var images = new List<RgbImage>();
                foreach (var item in batch)
                {
                    try
                    {
                        images.Add(ImageDecoder.Load(item.Path));
                        featureRows[item.Path] = readable.Count;
                        readable.Add(item);
                    }
                    catch (GazeFileException e)
                    {
                        skipped.Add(e.Message);
                    }
                    callbacks.Stepped?.Invoke(null, null);
                }
                if (!headOnly || images.Count == 0) continue;
                using var scope = torch.NewDisposeScope();
                using var run = graph.Run(preprocessor.Preprocess(images), new RunOptions { Capture = [cut.Layer] });
                chunks.Add(graph.ChannelsFirst(cut.Layer, run[cut.Layer]).mean([2, 3]).MoveToOuterDisposeScope());
            }
            if (skipped.Count > 0)
                callbacks.Warning?.Invoke($"skipped {skipped.Count} unreadable image(s) of {folder.Images.Count}; first: {skipped[0]}");
            if (readable.Count == 0) throw new TrainingDataException(folder.Root, $"none of its {folder.Images.Count} image(s) can be read");
            Tensor? features = null;
            if (headOnly)
            {
                features = torch.cat(chunks, 0);
                features.DetachFromDisposeScope();
            }
            return new PreparedData(readable, featureRows, features, skipped.Count);
        }
        finally
        {
            foreach (var chunk in chunks) chunk.Dispose();
        }
    }

    /// <summary>The checkpoint of a run: what it records about the run, and the state a resumed run starts from.</summary>
    private sealed class RunCheckpoint(FinetuneCheckpoint checkpoint, CheckpointState identity, CheckpointState? resumed)
    {
        /// <summary>The epoch the run resumes after (0 for a fresh run).</summary>
        public int ResumedAfter => resumed?.Epoch ?? 0;

        /// <summary>Loads the resumed parameters and optimizer state; returns the results of the epochs done (none in a fresh run).</summary>
        public List<EpochResult> Restore(IReadOnlyList<(string Name, Tensor Value)> trained, OptimizerHelper optimizer)
        {
            if (resumed is null) return [];
            checkpoint.Load(resumed, trained, optimizer);
            return [.. resumed.History];
        }

        /// <summary>Saves the parameters and optimizer state after <paramref name="epoch"/>, with the results so far.</summary>
        public void Save(int epoch, IReadOnlyList<EpochResult> history, IReadOnlyList<(string Name, Tensor Value)> trained, OptimizerHelper optimizer) =>
            checkpoint.Write(identity with { Epoch = epoch, History = history.ToList() }, trained, optimizer);

        /// <summary>Removes the checkpoint once the run has written its model.</summary>
        public void Delete() => checkpoint.Delete();
    }

    /// <summary>The readable images and, for head-only training, their pooled features (row per image).</summary>
    private sealed class PreparedData(List<LabeledImage> readable, Dictionary<string, int> rows, Tensor? features, int skipped) : IDisposable
    {
        public IReadOnlyList<LabeledImage> Readable { get; } = readable;

        public Tensor? Features { get; } = features;

        public int Skipped { get; } = skipped;

        public long[] RowsOf(IEnumerable<LabeledImage> images) => images.Select(i => (long)rows[i.Path]).ToArray();

        public void Dispose() => Features?.Dispose();
    }

    /// <summary>One epoch: shuffled batches, an Adam step each, then the validation pass.</summary>
    private sealed class EpochTrainer(OnnxGraph graph, StandardisedHead? head, ImagePreprocessor preprocessor, PreparedData data, DataSplit split,
        FinetuneOptions options, FinetuneCallbacks callbacks)
    {
        public EpochResult Train(int epoch, OptimizerHelper optimizer, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var order = split.Train.ToList();
            // The order depends on the seed and the epoch alone, so a resumed run sees what an uninterrupted one would.
            ImageFolder.Shuffle(order, new SplitMix64(SplitMix64.Mix((ulong)(uint)options.Seed) + (ulong)epoch));
            var batches = order.Chunk(options.BatchSize).ToList();
            callbacks.PhaseStarted?.Invoke($"epoch {epoch}/{options.Epochs}", batches.Count);

            double lossSum = 0;
            long correct = 0, seen = 0;
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var (loss, right) = LossAndCorrect(batch, gradients: true, nn.Reduction.Mean);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * batch.Length;
                correct += right;
                seen += batch.Length;
                callbacks.Stepped?.Invoke(lossSum / seen, (double)correct / seen);
            }

            var (validationLoss, validationAccuracy) = Evaluate(cancellationToken);
            return new EpochResult(epoch, options.Epochs, lossSum / seen, (double)correct / seen, validationLoss, validationAccuracy, clock.Elapsed.TotalSeconds);
        }

        private (double Loss, double Accuracy) Evaluate(CancellationToken cancellationToken)
        {
            using var noGrad = torch.no_grad();
            double lossSum = 0;
            long correct = 0;
            foreach (var batch in split.Validation.Chunk(options.BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var (loss, right) = LossAndCorrect(batch, gradients: false, nn.Reduction.Sum);
                lossSum += loss.item<float>();
                correct += right;
            }
            int count = split.Validation.Count;
            return (lossSum / count, (double)correct / count);
        }

        /// <summary>
        /// The cross entropy of <paramref name="batch"/> and how many of its images are classified right: from the
        /// head on the precomputed features (head-only training), or from a run of the network on the decoded images,
        /// recording gradients when <paramref name="gradients"/> is set and freed once both are computed.
        /// </summary>
        private (Tensor Loss, long Correct) LossAndCorrect(LabeledImage[] batch, bool gradients, nn.Reduction reduction)
        {
            var labels = Labels(batch);
            if (head is not null) return LossAndCorrect(head.Logits(data.RowsOf(batch)), labels, reduction);
            using var run = graph.Run(Decode(batch), new RunOptions { Gradients = gradients });
            return LossAndCorrect(run.Scores, labels, reduction);
        }

        private static (Tensor Loss, long Correct) LossAndCorrect(Tensor logits, Tensor labels, nn.Reduction reduction) =>
            (nn.functional.cross_entropy(logits, labels, reduction: reduction), logits.argmax(1).eq(labels).sum().item<long>());

        private static Tensor Labels(LabeledImage[] batch) => torch.tensor(batch.Select(i => (long)i.ClassIndex).ToArray());

        // The images were readable when prepared; reading them again per epoch keeps memory at one batch.
        private Tensor Decode(LabeledImage[] batch) => preprocessor.Preprocess(batch.Select(i => ImageDecoder.Load(i.Path)).ToList());
    }

    /// <summary>
    /// The linear head of head-only training, on features standardised per channel with the training images' mean
    /// and standard deviation: the raw pooled activations of a pretrained network differ in scale by orders of
    /// magnitude between channels, which slows Adam down. Being linear, it folds exactly into a head on the raw
    /// features: W = Wz / sigma, b = bz - W mu.
    /// </summary>
    private sealed class StandardisedHead : IDisposable
    {
        private readonly Tensor mean;
        private readonly Tensor scale;
        private readonly Tensor standardised;
        private readonly Parameter weight;
        private readonly Parameter bias;

        public StandardisedHead(PreparedData data, DataSplit split, OnnxGraph graph, BackboneCut cut)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var features = data.Features!;
            var train = features.index_select(0, torch.tensor(data.RowsOf(split.Train)));
            mean = train.mean([0]);
            var std = train.std(0, unbiased: false);
            // A channel that never changes carries no information; dividing by ~0 would only amplify rounding.
            scale = torch.where(std.gt(1e-6), std, torch.ones_like(std));
            standardised = features.sub(mean).div(scale);
            weight = new Parameter(graph.Initializer(cut.WeightName).detach().clone());
            bias = new Parameter(graph.Initializer(cut.BiasName).detach().clone());
            scope.Detach(new IDisposable[] { mean, scale, standardised, weight, bias });
            Parameters = [("standardised:" + cut.WeightName, weight), ("standardised:" + cut.BiasName, bias)];
        }

        public IReadOnlyList<(string Name, Tensor Value)> Parameters { get; }

        public Tensor Logits(long[] rows) => nn.functional.linear(standardised.index_select(0, torch.tensor(rows)), weight, bias);

        /// <summary>Writes the equivalent head on raw features into the graph's weight and bias.</summary>
        public void FoldInto(Tensor graphWeight, Tensor graphBias)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var folded = weight.div(scale.unsqueeze(0));
            graphWeight.copy_(folded);
            graphBias.copy_(bias.sub(folded.matmul(mean)));
        }

        public void Dispose()
        {
            foreach (var t in new Tensor[] { mean, scale, standardised, weight, bias }) t.Dispose();
        }
    }
}
