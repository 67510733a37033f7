using System.CommandLine;
using System.Text.Json;
using Gaze.Attribution.Cam;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze bench --model MODEL [--batch B]</c>: forward latency of Gaze and ONNX Runtime measured in one run, and
/// the engine's own per-node overhead. With <c>--method M</c>: the method's latency next to the forward and
/// forward+backward passes (and, for perturbation methods, the runs they need). Compare the ratios; absolute times
/// vary between runs on shared machines.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var model = ModelArgument.Option();
        var batch = ModelArgument.Batch();
        var iterations = new Option<int?>("--iterations") { Description = "Timed runs after one warm-up round (default 10; 3 for Score-CAM and Ablation-CAM)", CustomParser = r => OptionParsers.PositiveInt(r, "--iterations") };
        var size = ModelArgument.Size();
        var method = new Option<string?>("--method") { Description = $"Time a CAM method instead: {string.Join(", ", CamMethods.Names)}" };
        var layer = new Option<string?>("--layer") { Description = "The method's target layer (default: the model's CAM layer)" };
        var image = new Option<string?>("--image") { Description = "Benchmark on this image (default: random noise in the model's input convention)" };
        var command = new Command("bench", "Measure forward latency of Gaze against ONNX Runtime and the engine's per-node overhead, or a CAM method's cost")
        {
            model, batch, iterations, size, method, layer, image,
        };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            if (parse.GetValue(method) is string methodName)
                return BenchMethod(context, parse.GetValue(model)!, CamMethods.Create(methodName), parse.GetValue(layer), parse.GetValue(image), parse.GetValue(batch), parse.GetValue(iterations));
            int repeats = parse.GetValue(iterations) ?? 10;
            BenchmarkResult result = EngineBenchmark.Measure(parse.GetValue(model)!, parse.GetValue(batch),
                ModelArgument.ParseSize(parse.GetValue(size)), repeats);
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = result.ModelPath,
                    batch = result.Batch,
                    iterations = repeats,
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

    private static int BenchMethod(CliContext context, string modelPath, CamMethod method, string? layerOption, string? imagePath, int batch, int? iterations)
    {
        ModelMetadata metadata = ModelMetadataReader.ReadFor(modelPath);
        ModelInput input = metadata.Input ?? ModelInput.Default;
        using OnnxGraph graph = OnnxGraph.Load(modelPath);
        var table = LayerTable.Discover(graph, metadata.CamLayer, (input.Size.Height, input.Size.Width));
        string layer = ExplainCommand.ResolveLayers(layerOption, table)[0];
        RgbImage picture = imagePath is null ? NoiseImage(input.Size.Width, input.Size.Height) : ImageDecoder.Load(imagePath);
        int repeats = iterations ?? (method.Needs.HasFlag(CamSignals.InputScoring) || method.Needs.HasFlag(CamSignals.LayerScoring) ? 3 : 10);

        using var scope = TorchSharp.torch.NewDisposeScope();
        var preprocessor = new ImagePreprocessor(input);
        TorchSharp.torch.Tensor tensor = preprocessor.Preprocess(Enumerable.Repeat(picture, batch).ToList());
        var options = new CamOptions { InputLayout = input.Layout };
        CamBenchmarkResult result = CamBenchmark.Measure(graph, layer, method, tensor, repeats, options);

        static object Json(Timing? t) => t is null ? null! : new { median = t.Median, min = t.Min, max = t.Max };
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model = modelPath,
                method = method.Name,
                layer,
                batch,
                iterations = repeats,
                threads = TorchSharp.torch.get_num_threads(),
                forward_ms = Json(result.Forward),
                forward_backward_ms = Json(result.ForwardBackward),
                method_ms = Json(result.Method),
                required_runs_ms = Json(result.RequiredRuns),
                channels = result.Channels,
                scoring_engine = options.ScoreWithOnnxRuntime ? "onnxruntime" : "gaze",
            }));
            return ExitCodes.Success;
        }
        var grid = new Table { Title = new TableTitle(Markup.Escape($"{method.Name} at {layer}, batch {batch}, {repeats} runs")) }
            .AddColumns("measure", "median", "min", "max", "÷ forward");
        void Row(string name, Timing t) => grid.AddRow(name, $"{t.Median:F1} ms", $"{t.Min:F1} ms", $"{t.Max:F1} ms", $"{t.Median / result.Forward.Median:F2}x");
        Row("forward", result.Forward);
        Row("forward+backward", result.ForwardBackward);
        Row(method.Name, result.Method);
        if (result.RequiredRuns is { } required) Row($"{result.Channels} scoring runs it needs", required);
        context.Console.Write(grid);
        return ExitCodes.Success;
    }

    /// <summary>Seeded noise, so runs without --image are comparable.</summary>
    private static RgbImage NoiseImage(int width, int height)
    {
        var random = new Random(1);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
