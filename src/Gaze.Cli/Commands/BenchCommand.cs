using System.CommandLine;
using System.Text.Json;
using Gaze.Attribution;
using Gaze.Engine;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Synthesis;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze bench --model MODEL [--batch B]</c>: forward latency of Gaze and ONNX Runtime measured in one run, and
/// the engine's own per-node overhead. With <c>--method M</c>: the method's latency next to the forward and
/// forward+backward passes (and, for perturbation methods, the runs they need). Compare the ratios; absolute times
/// vary between runs on shared machines. <c>--batch</c> is reduced, with one warning, to fit the activation budget.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var model = ModelArgument.Option();
        var batch = ModelArgument.Batch();
        var iterations = new Option<int?>("--iterations") { Description = "Timed runs after one warm-up round (default 10; 3 for perturbation methods such as Score-CAM)", CustomParser = r => OptionParsers.PositiveInt(r, "--iterations") };
        var size = ModelArgument.Size();
        var methodOptions = new MethodOptions(app.Methods, defaultMethod: null, several: false, purpose: "Time an explanation method instead");
        var image = new Option<string?>("--image") { Description = "Benchmark on this image (default: random noise in the model's input convention)" };
        var precision = ModelArgument.Precision();
        var synthesis = new Option<bool>("--synthesis") { Description = "Time one step of class visualisation and of style transfer against a forward+backward pass to the input" };
        var profile = new Option<bool>("--profile") { Description = "Show where Gaze's forward and forward+backward passes spend their time: the slowest operator types and nodes" };
        var command = new Command("bench", "Measure forward latency of Gaze against ONNX Runtime and the engine's per-node overhead, or an explanation method's cost")
        {
            model, batch, iterations, size, image, profile, precision, synthesis,
        };
        methodOptions.AddTo(command, withSmoothing: false);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            // Ctrl+C or SIGTERM stops before the next timed pass; partial timings are no answer, so nothing is printed.
            CancellationToken cancellation = context.Interruption.Observe();
            Precision numbers = ModelArgument.ParsePrecision(parse.GetValue(precision));
            if (parse.GetValue(methodOptions.Method) is not null)
            {
                AttributionMethod method = methodOptions.ParseSingle(parse);
                return BenchMethod(context, parse.GetValue(model)!, method, parse.GetValue(methodOptions.Layer), parse.GetValue(image), parse.GetValue(batch), parse.GetValue(iterations), numbers, cancellation);
            }
            int repeats = parse.GetValue(iterations) ?? 10;
            if (parse.GetValue(synthesis)) return BenchSynthesis(context, parse.GetValue(model)!, repeats, cancellation);
            (int Height, int Width)? inputSize = ModelArgument.ParseSize(parse.GetValue(size));
            if (parse.GetValue(profile)) return Profile(context, parse.GetValue(model)!, parse.GetValue(batch), inputSize, repeats, numbers, cancellation);
            using OnnxGraph graph = OnnxGraph.Load(parse.GetValue(model)!, numbers);
            int batchSize = ModelArgument.FitBatch(context, graph, inputSize, parse.GetValue(batch));
            BenchmarkResult result = EngineBenchmark.Measure(graph, batchSize, inputSize, repeats, cancellation);
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = result.ModelPath,
                    batch = result.Batch,
                    iterations = repeats,
                    threads = TorchSharp.torch.get_num_threads(),
                    precision = PrecisionSupport.Name(numbers),
                    gaze_forward_ms = result.GazeMilliseconds,
                    onnxruntime_forward_ms = result.OnnxRuntimeMilliseconds,
                    gaze_to_onnxruntime = result.GazeMilliseconds / result.OnnxRuntimeMilliseconds,
                    gaze_forward_backward_ms = result.ForwardBackwardMilliseconds,
                    forward_backward_to_onnxruntime = result.ForwardBackwardMilliseconds / result.OnnxRuntimeMilliseconds,
                    fp32_forward_backward_ms = result.Float32Comparison?.Float32ForwardBackwardMilliseconds,
                    speedup_over_fp32 = result.Float32Comparison is { } c ? c.Float32ForwardBackwardMilliseconds / result.ForwardBackwardMilliseconds : (double?)null,
                    gradient_correlation_with_fp32 = result.Float32Comparison?.GradientCorrelation,
                    worst_sample_gradient_correlation_with_fp32 = result.Float32Comparison?.WorstSampleCorrelation,
                    nodes = result.Nodes,
                    engine_overhead_ms = result.WalkMilliseconds,
                    engine_overhead_percent = result.OverheadPercent,
                    note = result.Note,
                }));
                return ExitCodes.Success;
            }
            var grid = new Table().AddColumns("batch", "Gaze forward", "ONNX Runtime forward", "ratio", "Gaze forward+backward", "ratio", "nodes", "engine overhead");
            grid.AddRow(result.Batch.ToString(), $"{result.GazeMilliseconds:F1} ms", $"{result.OnnxRuntimeMilliseconds:F1} ms",
                $"{result.GazeMilliseconds / result.OnnxRuntimeMilliseconds:F2}x", $"{result.ForwardBackwardMilliseconds:F1} ms",
                $"{result.ForwardBackwardMilliseconds / result.OnnxRuntimeMilliseconds:F2}x", result.Nodes.ToString(),
                $"{result.WalkMilliseconds:F3} ms ({result.OverheadPercent:F2}%, {result.MicrosecondsPerNode:F2} µs/node)");
            context.Console.Write(grid);
            if (result.Float32Comparison is { } comparison)
            {
                context.Output.WriteLine($"{PrecisionSupport.Name(numbers)} forward+backward is {comparison.Float32ForwardBackwardMilliseconds / result.ForwardBackwardMilliseconds:F2}x as fast as fp32 ({comparison.Float32ForwardBackwardMilliseconds:F1} ms); "
                    + $"input gradients correlate at {comparison.GradientCorrelation:F5} with fp32's (worst sample {comparison.WorstSampleCorrelation:F5})");
            }
            if (result.Note is not null) context.Note(result.Note);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// One class-visualisation step and one style-transfer step (SqueezeNet's CS231n layers when present, else the
    /// model's default CAM layer as content and style) against forward+backward passes of the same sizes.
    /// </summary>
    private static int BenchSynthesis(CliContext context, string modelPath, int repeats, CancellationToken cancellation)
    {
        using LoadedModel loaded = LoadedModel.Open(modelPath, limits: context.Limits);
        var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
        StyleTransferOptions style = StyleTransferOptions.ForSqueezeNet(loaded.Graph.TensorNames)
            ?? (loaded.Layers.DefaultCamLayer is { } layer
                ? new StyleTransferOptions { ContentLayer = layer, StyleLayers = [layer], StyleWeights = [1] }
                : throw new Errors.InvalidOptionException("--synthesis", "the model has no spatial layer to take as content and style"));
        SynthesisBenchmarkResult r = SynthesisBenchmark.Measure(network, style, 192, repeats, cancellation);
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model = modelPath,
                iterations = repeats,
                threads = TorchSharp.torch.get_num_threads(),
                forward_backward_ms = r.ForwardBackward,
                visualize_step_ms = r.VisualizationStep,
                visualize_step_to_forward_backward = r.VisualizationStep / r.ForwardBackward,
                style_forward_backward_ms = r.StyleForwardBackward,
                style_step_ms = r.StyleStep,
                style_step_to_forward_backward = r.StyleStep / r.StyleForwardBackward,
            }));
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("step", "ms", "forward+backward ms", "ratio");
        table.AddRow("class visualisation", $"{r.VisualizationStep:F1}", $"{r.ForwardBackward:F1}", $"{r.VisualizationStep / r.ForwardBackward:F2}x");
        table.AddRow("style transfer (192 px)", $"{r.StyleStep:F1}", $"{r.StyleForwardBackward:F1}", $"{r.StyleStep / r.StyleForwardBackward:F2}x");
        context.Console.Write(table);
        return ExitCodes.Success;
    }

    private static int Profile(CliContext context, string modelPath, int batch, (int Height, int Width)? size, int iterations, Precision precision,
        CancellationToken cancellation)
    {
        using LoadedModel model = LoadedModel.Open(modelPath, precision: precision, limits: context.Limits);
        batch = ModelArgument.FitBatch(context, model.Graph, size, batch);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var input = EngineBenchmark.RandomInput(model.Graph, batch, size);
        EngineProfile inference = EngineProfiler.Measure(model.Graph, input, iterations, backward: false, cancellation);
        EngineProfile gradient = EngineProfiler.Measure(model.Graph, input, iterations, backward: true, cancellation);
        const int top = 12;
        if (context.Json)
        {
            static object Entries(IEnumerable<OperatorTime> times) => times.Take(top).Select(t => new { name = t.Name, op = t.OpType, count = t.Count, ms = t.Milliseconds, percent = t.Percent });
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model = modelPath,
                batch,
                iterations,
                threads = TorchSharp.torch.get_num_threads(),
                precision = PrecisionSupport.Name(precision),
                gaze_forward_ms = inference.ForwardMilliseconds,
                gradient_forward_ms = gradient.ForwardMilliseconds,
                backward_ms = gradient.BackwardMilliseconds,
                page_faults_per_pass = inference.PageFaultsPerPass,
                operators = Entries(inference.Operators),
                nodes = Entries(inference.Nodes),
                gradient_operators = Entries(gradient.Operators),
            }));
            return ExitCodes.Success;
        }
        void Show(string title, IEnumerable<OperatorTime> times, bool byNode)
        {
            var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumns(byNode ? "node" : "operator", byNode ? "type" : "nodes", "ms per pass", "share");
            foreach (var t in times.Take(top))
                table.AddRow(Markup.Escape(t.Name), byNode ? t.OpType : t.Count.ToString(), $"{t.Milliseconds:F2}", $"{t.Percent:F1}%");
            context.Console.Write(table);
        }
        string faults = inference.PageFaultsPerPass is long f ? $", {f} page faults" : "";
        Show($"Forward (inference), batch {batch}: {inference.ForwardMilliseconds:F1} ms{faults}", inference.Operators, byNode: false);
        Show("Slowest nodes", inference.Nodes, byNode: true);
        Show($"Forward recording gradients: {gradient.ForwardMilliseconds:F1} ms, then backward to the input: {gradient.BackwardMilliseconds:F1} ms", gradient.Operators, byNode: false);
        return ExitCodes.Success;
    }

    private static int BenchMethod(CliContext context, string modelPath, AttributionMethod method, string? layerOption, string? imagePath, int batch, int? iterations, Precision precision,
        CancellationToken cancellation)
    {
        using LoadedModel model = LoadedModel.Open(modelPath, precision: precision, limits: context.Limits);
        IReadOnlyList<string> layers = method.UsesLayers ? model.ResolveLayers(layerOption) : [];
        batch = ModelArgument.FitBatch(context, model, batch);
        RgbImage? picture = imagePath is null ? null : ImageDecoder.Load(imagePath, context.Limits);
        int repeats = iterations ?? (MethodBenchmark.IsPerturbation(method) ? 3 : 10);
        MethodBenchmarkResult result = MethodBenchmark.Measure(model, method, layers, picture, batch, repeats, cancellation);
        string where = layers.Count > 0 ? $" at {string.Join(",", layers)}" : "";

        static object Json(Timing? t) => t is null ? null! : new { median = t.Median, min = t.Min, max = t.Max };
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model = modelPath,
                method = method.Name,
                layer = layers.Count > 0 ? layers[0] : null,
                batch,
                iterations = repeats,
                threads = TorchSharp.torch.get_num_threads(),
                precision = PrecisionSupport.Name(precision),
                forward_ms = Json(result.Forward),
                forward_backward_ms = Json(result.ForwardBackward),
                method_ms = Json(result.Method),
                onnxruntime_forward_ms = Json(result.OnnxRuntimeForward),
                method_to_onnxruntime_forward = result.Method.Median / result.OnnxRuntimeForward.Median,
                method_to_forward = result.Method.Median / result.Forward.Median,
                required_runs_ms = Json(result.RequiredRuns),
                required_runs = result.RunsPerImage is { } runs ? new { inputs = runs.Inputs, batch = runs.BatchSize, backward = runs.Backward } : null,
                method_to_required_runs = result.RequiredRuns is { } timed ? result.Method.Median / timed.Median : (double?)null,
                channels = result.Channels,
                scoring_engine = AttributionOptions.Default.ScoreWithOnnxRuntime ? "onnxruntime" : "gaze",
            }));
            return ExitCodes.Success;
        }
        var grid = new Table { Title = new TableTitle(Markup.Escape($"{method.Name}{where}, batch {batch}, {repeats} runs")) }
            .AddColumns("measure", "median", "min", "max", "÷ forward", "÷ ONNX Runtime forward");
        void Row(string name, Timing t) => grid.AddRow(name, $"{t.Median:F1} ms", $"{t.Min:F1} ms", $"{t.Max:F1} ms",
            $"{t.Median / result.Forward.Median:F2}x", $"{t.Median / result.OnnxRuntimeForward.Median:F2}x");
        Row("forward", result.Forward);
        Row("ONNX Runtime forward", result.OnnxRuntimeForward);
        Row("forward+backward", result.ForwardBackward);
        Row(method.Name, result.Method);
        if (result.RequiredRuns is { } required)
        {
            Row(result.RunsPerImage is { } runs
                ? $"{runs.Inputs} {(runs.Backward ? "forward+backward" : "forward")} passes it needs per image"
                : $"{result.Channels} scoring runs it needs", required);
        }
        context.Console.Write(grid);
        foreach (string note in result.Notes) context.Note(note);
        return ExitCodes.Success;
    }
}
