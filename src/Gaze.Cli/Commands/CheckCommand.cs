using System.CommandLine;
using System.Text.Json;
using Gaze.Engine;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze check MODEL</c>: runs Gaze and ONNX Runtime on the same seeded random input and compares every output;
/// exit 0 within tolerance (1e-4 relative, 2e-3 for float16 models), 3 otherwise. <c>--batch</c> is reduced, with
/// one warning, to fit the activation budget.
/// </summary>
public static class CheckCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var model = ModelArgument.Positional();
        var batch = ModelArgument.Batch();
        var size = ModelArgument.Size();
        var seed = new Option<int>("--seed") { Description = "Seed of the random input", DefaultValueFactory = _ => 0 };
        var precision = ModelArgument.Precision();
        var command = new Command("check", "Compare Gaze's import of a model with ONNX Runtime on random input") { model, batch, size, seed, precision };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            // Ctrl+C or SIGTERM stops between the passes; a partial comparison is no answer, so nothing is printed.
            CancellationToken cancellation = context.Interruption.Observe();
            (int Height, int Width)? inputSize = ModelArgument.ParseSize(parse.GetValue(size));
            using OnnxGraph graph = OnnxGraph.Load(parse.GetValue(model)!, ModelArgument.ParsePrecision(parse.GetValue(precision)));
            ParityReport report = ParityCheck.Run(graph, new ParityOptions
            {
                Batch = ModelArgument.FitBatch(context, graph, inputSize, parse.GetValue(batch)),
                Size = inputSize,
                Seed = parse.GetValue(seed),
                Precision = graph.Precision,
            }, cancellation);
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = report.ModelPath,
                    input_shape = report.InputShape,
                    float16 = report.IsFloat16,
                    precision = PrecisionSupport.Name(report.Precision),
                    tolerance = report.Tolerance,
                    passed = report.Passed,
                    gradient_finite = report.GradientFinite,
                    gradient_nonzero = report.GradientNonZero,
                    outputs = report.Outputs.Select(o => new { name = o.Name, shape = o.Shape, max_abs_difference = o.MaxAbsDifference, relative_difference = o.RelativeDifference }),
                    notes = report.Notes,
                }));
            }
            else
            {
                var grid = new Table().AddColumns("output", "shape", "max |diff|", "relative", "");
                foreach (OutputParity output in report.Outputs)
                {
                    grid.AddRow(Markup.Escape(output.Name), string.Join("x", output.Shape),
                        output.MaxAbsDifference.ToString("G3"), output.RelativeDifference.ToString("G3"),
                        output.RelativeDifference <= report.Tolerance ? "ok" : "DIFFERS");
                }
                context.Console.Write(grid);
                context.Output.WriteLine($"input {string.Join("x", report.InputShape)}, tolerance {report.Tolerance:G3} relative{(report.IsFloat16 ? " (float16 model)" : "")}{(report.Precision == Precision.BFloat16 ? " (bf16)" : "")}");
                if (report.GradientFinite is bool finite)
                    context.Output.WriteLine($"input gradient: {(finite ? "finite" : "NOT finite")}, {(report.GradientNonZero == true ? "non-zero" : "ZERO")}");
                foreach (string note in report.Notes) context.Note(note);
                context.Output.WriteLine(report.Passed ? "check passed" : "check FAILED");
            }
            return report.Passed ? ExitCodes.Success : ExitCodes.CheckFailed;
        }));
        return command;
    }
}
