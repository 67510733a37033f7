using System.CommandLine;
using System.Globalization;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Reporting;
using Gaze.Synthesis;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze fool IMAGE --target CLASS | --untargeted [--attack gradient|fgsm|pgd]</c>: a fooling image at the
/// original size, checked as saved; exit 3 when it does not fool.
/// </summary>
public static class FoolCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var image = new Argument<string>("IMAGE") { Description = "The picture to change" };
        var model = DefaultModel.Option();
        var target = new Option<string?>("--target", "-t") { Description = "The class the picture should be taken for: an index or a label", HelpName = "CLASS" };
        var untargeted = new Option<bool>("--untargeted") { Description = "Any class but the original one" };
        var attack = new Option<string>("--attack") { Description = "gradient (CS231n's normalised ascent, until the saved image fools), fgsm or pgd", DefaultValueFactory = _ => "gradient" };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Most gradient steps before giving up (exit 3)", DefaultValueFactory = _ => 200 };
        var rate = new Option<double>("--learning-rate") { Description = "L2 size of a gradient step, in torchvision's normalised units (scaled to the model's)", DefaultValueFactory = _ => 1.0 };
        var epsilon = new Option<double>("--epsilon") { Description = "FGSM/PGD budget: the largest change of a pixel, in 8-bit levels", DefaultValueFactory = _ => 8.0 };
        var step = new Option<double>("--step") { Description = "PGD step, in 8-bit levels", DefaultValueFactory = _ => 2.0 };
        var iterations = new Option<int>("--iterations") { Description = "PGD steps", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of PGD's random start (the other attacks are deterministic)", DefaultValueFactory = _ => 0 };
        var inputOptions = new InputOptions();
        var output = new SynthesisOutput();
        var command = new Command("fool", "Make a fooling image: change a picture until the model takes it for another class")
        {
            image, model, target, untargeted, attack, maxIterations, rate, epsilon, step, iterations, seed,
        };
        inputOptions.AddTo(command);
        output.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string? targetText = parse.GetValue(target);
            bool any = parse.GetValue(untargeted);
            if ((targetText is null) == !any) throw new InvalidOptionException("--target", "give either --target CLASS or --untargeted");
            FoolingAttack kind = parse.GetValue(attack)!.Trim().ToLowerInvariant() switch
            {
                "gradient" => FoolingAttack.GradientAscent,
                "fgsm" => FoolingAttack.Fgsm,
                "pgd" => FoolingAttack.Pgd,
                var other => throw new InvalidOptionException("--attack", $"unknown attack '{other}'; choose gradient, fgsm or pgd"),
            };
            using LoadedModel loaded = LoadedModel.Open(DefaultModel.Resolve(parse.GetValue(model)), inputOptions.Overrides(parse), limits: context.Limits);
            int? goal = targetText is null ? null : SynthesisOutput.TargetClass(loaded, targetText);
            var options = new FoolingOptions
            {
                Target = goal,
                Attack = kind,
                MaxIterations = parse.GetValue(maxIterations),
                LearningRate = parse.GetValue(rate),
                Epsilon = parse.GetValue(epsilon),
                Step = parse.GetValue(step),
                Iterations = parse.GetValue(iterations),
                Seed = parse.GetValue(seed),
            }.Validate();
            string path = parse.GetValue(image)!;
            RgbImage original = ImageDecoder.Load(path, context.Limits);
            var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
            int steps = kind == FoolingAttack.GradientAscent ? options.MaxIterations : kind == FoolingAttack.Pgd ? options.Iterations : 1;
            FoolingResult result = SynthesisOutput.WithProgress(context, "fooling", steps,
                (progress, cancellation) => FoolingImage.Run(network, original, options, progress, cancellation));

            string Label(int index) => loaded.LabelOf(index);
            var fields = new Dictionary<string, object?>
            {
                ["command"] = "fool",
                ["image"] = path,
                ["attack"] = parse.GetValue(attack)!.Trim().ToLowerInvariant(),
                ["target"] = goal,
                ["target_label"] = goal is int g ? Label(g) : null,
                ["seed"] = options.Seed,
                ["original_class"] = result.OriginalClass,
                ["original_label"] = Label(result.OriginalClass),
                ["settings"] = new Dictionary<string, object?>
                {
                    ["max_iterations"] = options.MaxIterations,
                    ["learning_rate"] = options.LearningRate,
                    ["epsilon"] = kind == FoolingAttack.GradientAscent ? null : options.Epsilon,
                    ["step"] = kind == FoolingAttack.Pgd ? options.Step : null,
                    ["iterations"] = kind == FoolingAttack.Pgd ? options.Iterations : null,
                },
                ["iterations"] = result.Iterations,
                ["float_fooled_at"] = result.FloatFooledAt,
                ["fooled"] = result.Fooled,
                ["final_class"] = result.FinalClass,
                ["final_label"] = Label(result.FinalClass),
                ["final_probability"] = Math.Round(result.FinalProbability, 6),
                ["l2"] = Math.Round(result.Distortion.L2, 3),
                ["linf"] = result.Distortion.LInfinity,
            };
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"{path}: {Label(result.OriginalClass)} -> {Label(result.FinalClass)} (p {result.FinalProbability:F3}) after {result.Iterations} steps; L2 {result.Distortion.L2:F1}, Linf {result.Distortion.LInfinity} levels");
            output.Write(parse, context, loaded, new SynthesisPictures(result.Image, [], PerturbedImage.Magnified(original, result.Image)),
                goal is null ? "p(original)" : "p(target)", result.Trace, fields, summary);
            if (result.Fooled) return ExitCodes.Success;
            context.Error.WriteLine(goal is int wanted
                ? $"gaze: {path}: not fooled: the saved image is still {Label(result.FinalClass)}, not {Label(wanted)}, after {result.Iterations} steps (raise --max-iterations or --epsilon)"
                : $"gaze: {path}: not fooled: the saved image is still {Label(result.FinalClass)} after {result.Iterations} steps (raise --max-iterations or --epsilon)");
            return ExitCodes.CheckFailed;
        }));
        return command;
    }
}
