using System.CommandLine;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.Models;
using Gaze.Onnx;

namespace Gaze.Cli.Commands;

/// <summary>The model path arguments and options shared by commands.</summary>
public static class ModelArgument
{
    /// <summary>A positional <c>MODEL</c> argument.</summary>
    public static Argument<string> Positional() => new("MODEL") { Description = "The ONNX model (its .gaze.json sidecar is read if present)" };

    /// <summary>A required <c>--model</c> option.</summary>
    public static Option<string> Option() => new("--model", "-m") { Description = "The ONNX model (its .gaze.json sidecar is read if present)", Required = true, HelpName = "MODEL" };

    /// <summary>A <c>--batch N</c> option (default 1).</summary>
    public static Option<int> Batch() => new("--batch")
    {
        Description = "Batch size",
        DefaultValueFactory = _ => 1,
        CustomParser = r => OptionParsers.PositiveInt(r, "--batch") ?? 0,
    };

    /// <summary>
    /// The batch size for <c>--batch</c> <paramref name="requested"/>: reduced, with one warning, when its estimated
    /// activations (<see cref="LoadedModel.ActivationBytesPerImage"/>) exceed the memory budget of <see cref="CliContext.Limits"/>.
    /// </summary>
    public static int FitBatch(CliContext context, LoadedModel model, int requested) =>
        Apply(context, model.FitBatch(requested, context.Limits));

    /// <summary>
    /// The batch size for <c>--batch</c> <paramref name="requested"/> of a bare <paramref name="graph"/> at
    /// <paramref name="size"/> (<c>check</c>, <c>bench</c>): reduced, with one warning, like
    /// <see cref="FitBatch(CliContext, LoadedModel, int)"/>. A <paramref name="size"/> whose activations exceed the budget
    /// even for one image is refused (<see cref="LayerTable.RequireWithinBudget"/>).
    /// </summary>
    public static int FitBatch(CliContext context, OnnxGraph graph, (int Height, int Width)? size, int requested)
    {
        if (size is { } given) LayerTable.RequireWithinBudget(graph, given, context.Limits);
        return Apply(context, BatchFit.For(requested, () => LayerTable.EstimateActivationBytes(graph, size), context.Limits));
    }

    private static int Apply(CliContext context, BatchFit fit)
    {
        if (fit.Warning is { } warning) context.Warn(warning);
        return fit.Batch;
    }

    /// <summary>A <c>--size H,W</c> option, parsed with <see cref="ParseSize"/>.</summary>
    public static Option<string?> Size() => new("--size") { Description = "Input height and width, e.g. 224,224 (default: the model's declared size)", HelpName = "H,W" };

    /// <summary>A <c>--precision fp32|bf16</c> option, parsed with <see cref="ParsePrecision"/>.</summary>
    public static Option<string?> Precision() => new("--precision")
    {
        Description = "Number format of convolutions and matrix products: fp32 (default) or bf16 (CPUs with AVX-512-BF16 or AMX; faster, about 3 significant digits)",
        HelpName = "fp32|bf16",
    };

    /// <summary>Parses the <c>--precision</c> value (default fp32) and checks that this CPU runs it.</summary>
    public static Precision ParsePrecision(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Gaze.Engine.Precision.Float32;
        Precision precision = PrecisionSupport.Parse(text);
        PrecisionSupport.Require(precision);
        return precision;
    }

    /// <summary>Parses <c>H,W</c> (or one number for a square).</summary>
    public static (int Height, int Width)? ParseSize(string? text, string option = "--size")
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string[] parts = text.Split(',', 'x');
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), out values[i]) || values[i] < 1)
                throw new InvalidOptionException(option, $"expected H,W with positive whole numbers, got '{text}'");
            if (values[i] > ResourceLimits.MaxInputSide)
                throw new InvalidOptionException(option, $"height and width must be 1 to {ResourceLimits.MaxInputSide} pixels, got '{text}'");
        }
        return values.Length switch
        {
            1 => (values[0], values[0]),
            2 => (values[0], values[1]),
            _ => throw new InvalidOptionException(option, $"expected H,W, got '{text}'"),
        };
    }
}
