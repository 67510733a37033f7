using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gaze.Errors;
using Gaze.Training;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze finetune DATA_DIR --backbone MODEL.onnx [--layer L] [--epochs E] [--unfreeze-last N] --out NEW.onnx [--resume]</c>:
/// a new classifier head on a backbone layer, trained on an ImageFolder tree, written as ONNX with its sidecar.
/// </summary>
public static class FinetuneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var data = new Argument<string>("DATA_DIR") { Description = "ImageFolder tree: DATA_DIR/<class>/<image>" };
        var backbone = new Option<string>("--backbone", "-b") { Description = "The ONNX backbone (its .gaze.json sidecar is read if present)", Required = true, HelpName = "MODEL" };
        var layer = new Option<string?>("--layer") { Description = "The layer to cut at (default: the backbone's CAM layer; see 'gaze layers')", HelpName = "L" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images", DefaultValueFactory = _ => 3, CustomParser = r => OptionParsers.PositiveInt(r, "--epochs") ?? 0 };
        var unfreeze = new Option<int>("--unfreeze-last") { Description = "Also train the backbone's last N nodes with weights (default 0: the head only)", DefaultValueFactory = _ => 0, HelpName = "N" };
        var output = new Option<string>("--out", "-o") { Description = "The new model (NEW.onnx; NEW.gaze.json is written beside it)", Required = true, HelpName = "NEW.onnx" };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run from NEW.onnx.checkpoint/ (same data, backbone and options)" };
        var batch = new Option<int>("--batch") { Description = "Images per training step (reduced, with a warning, to fit the activation budget)", DefaultValueFactory = _ => 32, CustomParser = r => OptionParsers.PositiveInt(r, "--batch") ?? 0 };
        var rate = new Option<double?>("--lr") { Description = "Adam learning rate (default 0.01 for the head alone, 0.001 with --unfreeze-last)" };
        var validation = new Option<double>("--val-fraction") { Description = "Share of each class held out for validation", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the initial head and the image order", DefaultValueFactory = _ => 0 };
        var name = new Option<string?>("--name") { Description = "Display name for the new sidecar" };
        var inputOptions = new InputOptions();
        var command = new Command("finetune", "Train a new classifier head (and optionally the last backbone nodes) on an ImageFolder tree; writes NEW.onnx and NEW.gaze.json")
        {
            data, backbone, layer, epochs, unfreeze, output, resume, batch, rate, validation, seed, name,
        };
        inputOptions.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string backbonePath = parse.GetValue(backbone)!;
            if (!File.Exists(backbonePath)) throw new InputFileNotFoundException(backbonePath);
            var options = new FinetuneOptions
            {
                DataDirectory = parse.GetValue(data)!,
                BackbonePath = backbonePath,
                OutputPath = parse.GetValue(output)!,
                Layer = parse.GetValue(layer),
                Epochs = parse.GetValue(epochs),
                UnfreezeLast = parse.GetValue(unfreeze),
                BatchSize = parse.GetValue(batch),
                Limits = context.Limits,
                LearningRate = parse.GetValue(rate),
                ValidationFraction = parse.GetValue(validation),
                Seed = parse.GetValue(seed),
                InputOverrides = inputOptions.Overrides(parse),
                Name = parse.GetValue(name),
                Resume = parse.GetValue(resume),
            };

            // Ctrl+C or SIGTERM stops after the current batch; the last epoch's checkpoint stays for --resume.
            FinetuneResult result = Run(context, options, context.Interruption.Observe());
            Print(context, result);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Runs the fine-tuning with a progress bar per phase on a terminal (each epoch's row keeps its loss and accuracy),
    /// or one line per epoch on standard output otherwise.
    /// </summary>
    private static FinetuneResult Run(CliContext context, FinetuneOptions options, CancellationToken cancellationToken)
    {
        bool lines = !context.Quiet && !context.Json;
        if (context.ProgressConsole() is not { } console)
        {
            var plain = new FinetuneCallbacks
            {
                Warning = context.Warn,
                EpochFinished = e => { if (lines) context.Output.WriteLine(Describe(e)); },
            };
            return new Finetuner(options, plain).Run(cancellationToken);
        }

        var warnings = new List<string>();
        FinetuneResult? result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                ProgressTask? task = null;
                string phase = "";
                var callbacks = new FinetuneCallbacks
                {
                    Warning = warnings.Add,
                    PhaseStarted = (description, steps) =>
                    {
                        task?.StopTask();
                        phase = description;
                        task = progress.AddTask(Markup.Escape(description), maxValue: Math.Max(1, steps));
                    },
                    Stepped = (loss, accuracy) =>
                    {
                        if (task is null) return;
                        task.Increment(1);
                        if (loss is double l && accuracy is double a)
                            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{phase}  loss {l:F3} acc {a:P0}"));
                    },
                    EpochFinished = e =>
                    {
                        if (task is null) return;
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"epoch {e.Epoch}/{e.Epochs}  loss {e.TrainLoss:F3} acc {e.TrainAccuracy:P0} | val loss {e.ValidationLoss:F3} acc {e.ValidationAccuracy:P1}"));
                        task.StopTask();
                    },
                };
                result = new Finetuner(options, callbacks).Run(cancellationToken);
            });
        foreach (string warning in warnings) context.Warn(warning);
        return result!;
    }

    private static string Describe(EpochResult e) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {e.Epoch}/{e.Epochs}: loss {e.TrainLoss:F4}, accuracy {e.TrainAccuracy:P1}; validation loss {e.ValidationLoss:F4}, accuracy {e.ValidationAccuracy:P1} ({e.Seconds:F1} s)");

    private static void Print(CliContext context, FinetuneResult result)
    {
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model = result.OutputPath,
                sidecar = result.SidecarPath,
                layer = result.Layer,
                classes = result.Classes,
                train_images = result.TrainImages,
                validation_images = result.ValidationImages,
                skipped_images = result.SkippedImages,
                resumed_after_epoch = result.ResumedAfterEpoch,
                trained_parameters = result.TrainedParameters,
                validation_accuracy = result.ValidationAccuracy,
                seconds = Math.Round(result.Seconds, 2),
                epochs = result.History.Select(e => new
                {
                    epoch = e.Epoch,
                    train_loss = e.TrainLoss,
                    train_accuracy = e.TrainAccuracy,
                    validation_loss = e.ValidationLoss,
                    validation_accuracy = e.ValidationAccuracy,
                    seconds = Math.Round(e.Seconds, 2),
                }),
            }));
            return;
        }
        if (context.Quiet) return;
        string resumed = result.ResumedAfterEpoch > 0 ? $", resumed after epoch {result.ResumedAfterEpoch}" : "";
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Classes.Count} classes, {result.TrainImages} training and {result.ValidationImages} validation images ({result.SkippedImages} skipped); layer '{result.Layer}'{resumed}"));
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validation accuracy {result.ValidationAccuracy:P1} after {result.History.Count} epoch(s), {result.Seconds:F1} s; wrote {result.OutputPath} and {result.SidecarPath}"));
    }
}
