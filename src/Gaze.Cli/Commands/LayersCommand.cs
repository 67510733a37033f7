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
        var command = new Command("layers", "List the model's 4-D tensors (candidate target layers); the default CAM layer is marked") { model };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string path = parse.GetValue(model)!;
            using LoadedModel loaded = LoadedModel.Open(path, limits: context.Limits);
            LayerTable table = loaded.Layers;
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = path,
                    default_cam_layer = table.DefaultCamLayer,
                    layers = table.Layers.Select(l => new { name = l.Name, op = l.OpType, node = l.NodeName, shape = l.Shape, cam_default = l.Name == table.DefaultCamLayer }),
                }));
                return ExitCodes.Success;
            }
            var grid = new Table().AddColumns("#", "tensor", "op", "shape", "");
            foreach (LayerInfo layer in table.Layers)
            {
                grid.AddRow(
                    layer.Order.ToString(), Markup.Escape(layer.Name), layer.OpType,
                    string.Join("x", layer.Shape.Skip(1)),
                    layer.Name == table.DefaultCamLayer ? "default CAM layer" : "");
            }
            context.Console.Write(grid);
            return ExitCodes.Success;
        }));
        return command;
    }
}
