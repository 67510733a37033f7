using System.CommandLine;
using Gaze.Imaging;
using Gaze.Rendering;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze overlay IMAGE HEATMAP.npy --out FILE</c>: draws a heatmap saved as <c>.npy</c> (by Gaze or by Python)
/// over an image at the image's size.
/// </summary>
public static class OverlayCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var image = new Argument<string>("IMAGE") { Description = "The image (JPEG, PNG, BMP, GIF or WebP)" };
        var heatmap = new Argument<string>("HEATMAP") { Description = "A 2-D float .npy array (values in [0,1], any resolution)" };
        var output = new Option<string>("--out", "-o") { Description = "Output image (.png, .jpg)", Required = true, HelpName = "FILE" };
        var colormap = new Option<string>("--colormap") { Description = "jet, turbo, viridis, inferno, magma or gray", DefaultValueFactory = _ => "jet" };
        var opacity = new Option<double>("--opacity")
        {
            Description = "Weight of the heatmap colour, 0 to 1",
            DefaultValueFactory = _ => HeatmapRenderer.DefaultOpacity,
            CustomParser = result => OptionParsers.Fraction(result, "--opacity"),
        };
        var normalize = new Option<bool>("--normalize") { Description = "Scale the heatmap to [0,1] (min-max) before drawing; otherwise values are clipped to [0,1]" };

        var command = new Command("overlay", "Draw a .npy heatmap over an image") { image, heatmap, output, colormap, opacity, normalize };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string outPath = parse.GetValue(output)!;
            ImageEncoder.FormatFromPath(outPath, "--out");
            Colormap map = Colormap.FromName(parse.GetValue(colormap)!);
            RgbImage picture = ImageDecoder.Load(parse.GetValue(image)!, context.Limits);
            Heatmap heat = HeatmapFile.Read(parse.GetValue(heatmap)!, parse.GetValue(normalize));
            ImageEncoder.Write(outPath, HeatmapRenderer.Overlay(picture, heat, map, parse.GetValue(opacity)));
            if (!context.Quiet) context.Output.WriteLine(outPath);
            return ExitCodes.Success;
        }));
        return command;
    }
}
