using System.CommandLine;
using System.Text.Json;
using Gaze.Models;
using Gaze.Onnx;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary><c>gaze layers MODEL</c>: every named 4-D tensor with its op and shape; the default CAM layer marked.</summary>
public static class LayersCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var model = ModelArgument.Positional();
        var inputOptions = new InputOptions();
        var command = new Command("layers", "Show the model's input convention (and where each part came from) and list its 4-D tensors "
            + "(candidate target layers) as C x H x W; the default CAM layer is marked") { model };
        inputOptions.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string path = parse.GetValue(model)!;
            using LoadedModel loaded = LoadedModel.Open(path, inputOptions.Overrides(parse), limits: context.Limits);
            LayerTable table = loaded.Layers;
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = path,
                    input = Reporting.InputConvention.From(loaded.Input, loaded.InputSources),
                    default_cam_layer = table.DefaultCamLayer,
                    layers = table.Layers.Select(l => new
                    {
                        name = l.Name,
                        op = l.OpType,
                        node = l.NodeName,
                        shape = l.Shape,
                        layout = l.ChannelsLast ? "NHWC" : "NCHW",
                        chw = new[] { l.Channels, l.Height, l.Width },
                        cam_default = l.Name == table.DefaultCamLayer,
                    }),
                }));
                return ExitCodes.Success;
            }
            context.Console.Write(InputTable(loaded));
            var grid = new Table().AddColumns("#", "tensor", "op", "C x H x W", "layout", "");
            foreach (LayerInfo layer in table.Layers)
            {
                grid.AddRow(
                    layer.Order.ToString(), Markup.Escape(layer.Name), layer.OpType, layer.ChwText,
                    layer.ChannelsLast ? "NHWC" : "NCHW",
                    layer.Name == table.DefaultCamLayer ? "default CAM layer" : "");
            }
            context.Console.Write(grid);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The input convention, one part per row with where it came from (graph, sidecar, option or default).</summary>
    private static Table InputTable(LoadedModel loaded)
    {
        ModelInput input = loaded.Input;
        ModelInputSources sources = loaded.InputSources;
        string declared = loaded.Graph.Inputs is [var only] ? $"'{only.Name}' {only.ShapeText}" : "";
        var table = new Table().AddColumns($"input {Markup.Escape(declared)}", "", "from");
        string Source(InputSource source, string? why = null) => Markup.Escape(ModelInputSources.Name(source) + (why is null ? "" : ": " + why));
        if (sources.Preset is { } preset) table.AddRow("preset", preset, Source(sources.PresetSource));
        table.AddRow("size", $"{input.Size.Height}x{input.Size.Width}", Source(sources.Size));
        table.AddRow("layout", input.Layout.ToString(), Source(sources.Layout, sources.LayoutEvidence));
        table.AddRow("channels", input.Channels.ToString(), Source(sources.Channels));
        table.AddRow("normalisation", Markup.Escape($"range {Number(input.Range)}, mean [{string.Join(", ", input.Mean.Select(Number))}], std [{string.Join(", ", input.Std.Select(Number))}]"),
            Source(sources.Normalisation));
        table.AddRow("resize", ModelInputNames.Name(input.Resize), Source(sources.Resize));
        return table;
    }

    private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
