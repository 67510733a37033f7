using System.CommandLine;
using System.Text.Json;
using Gaze.Onnx;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze bench --model MODEL [--batch B]</c>: forward latency of Gaze and ONNX Runtime measured in one run, and
/// the engine's own per-node overhead. Compare the ratios; absolute times vary between runs on shared machines.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var model = ModelArgument.Option();
        var batch = ModelArgument.Batch();
        var iterations = new Option<int>("--iterations") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 10, CustomParser = r => OptionParsers.PositiveInt(r, "--iterations") ?? 0 };
        var size = ModelArgument.Size();
        var command = new Command("bench", "Measure forward latency of Gaze against ONNX Runtime and the engine's per-node overhead") { model, batch, iterations, size };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            BenchmarkResult result = EngineBenchmark.Measure(parse.GetValue(model)!, parse.GetValue(batch),
                ModelArgument.ParseSize(parse.GetValue(size)), parse.GetValue(iterations));
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = result.ModelPath,
                    batch = result.Batch,
                    iterations = parse.GetValue(iterations),
                    threads = TorchSharp.torch.get_num_threads(),
                    gaze_forward_ms = result.GazeMilliseconds,
                    onnxruntime_forward_ms = result.OnnxRuntimeMilliseconds,
                    gaze_to_onnxruntime = result.GazeMilliseconds / result.OnnxRuntimeMilliseconds,
                    nodes = result.Nodes,
                    engine_overhead_ms = result.WalkMilliseconds,
                    engine_overhead_percent = result.OverheadPercent,
                    note = result.Note,
                }));
                return ExitCodes.Success;
            }
            var grid = new Table().AddColumns("batch", "Gaze forward", "ONNX Runtime forward", "ratio", "nodes", "engine overhead");
            grid.AddRow(result.Batch.ToString(), $"{result.GazeMilliseconds:F1} ms", $"{result.OnnxRuntimeMilliseconds:F1} ms",
                $"{result.GazeMilliseconds / result.OnnxRuntimeMilliseconds:F2}x", result.Nodes.ToString(),
                $"{result.WalkMilliseconds:F3} ms ({result.OverheadPercent:F2}%, {result.MicrosecondsPerNode:F2} µs/node)");
            context.Console.Write(grid);
            if (result.Note is not null) context.Note(result.Note);
            return ExitCodes.Success;
        }));
        return command;
    }
}
