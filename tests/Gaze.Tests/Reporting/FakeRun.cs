using Gaze.Imaging;
using Gaze.IO;
using Gaze.Rendering;
using Gaze.Reporting;
using Gaze.Tests.Support;

namespace Gaze.Tests.Reporting;

/// <summary>
/// A small explanation run written by <see cref="ExplanationWriter"/> into a temporary directory: two decodable
/// images of the same file name in different folders (40x30 pixels), one that failed to decode between them, two
/// methods and one target whose label needs HTML escaping. Maps are synthetic: input-resolution heatmaps of 20x20
/// (resized to the image size by the writer) and raw maps at a 5x4 layer resolution.
/// </summary>
internal sealed class FakeRun : IDisposable
{
    public const string Label = "<b>bull & \"mastiff\"</b>";
    public const int Target = 243;
    public const int ImageWidth = 40, ImageHeight = 30;
    public const int MapSize = 20;
    public const int LayerWidth = 5, LayerHeight = 4;
    public const string BrokenError = "not an image: unknown format";
    public static readonly string[] Methods = ["gradcam", "gradcam++"];
    public static readonly string[] Layers = ["fire9/concat_1"];

    private FakeRun(TempDirectory temp)
    {
        Temp = temp;
    }

    public TempDirectory Temp { get; }

    public string Inputs => Path.Combine(Temp.Path, "inputs");

    public string Output { get; private set; } = "";

    public ResultsDocument Results { get; private set; } = null!;

    public ExplanationWriter Writer { get; private set; } = null!;

    /// <summary>Image sources in input order; index 1 is the broken one.</summary>
    public string[] Sources { get; private set; } = [];

    public static RgbImage Picture(int seed, int width = ImageWidth, int height = ImageHeight)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = ((byte)(x * 255 / (width - 1)), (byte)(y * 255 / (height - 1)), (byte)(seed * 60 + (x + y) % 5 * 20));
        return image;
    }

    /// <summary>A normalised map peaking at a spot that depends on the image and method.</summary>
    public static Heatmap InputHeatmap(int image, int method)
    {
        var map = new Heatmap(MapSize, MapSize);
        double cx = 4 + 10 * image, cy = 5 + 8 * method;
        for (int y = 0; y < MapSize; y++)
            for (int x = 0; x < MapSize; x++)
                map[x, y] = (float)Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 30.0);
        map.Normalize();
        return map;
    }

    /// <summary>A raw map with values above 1, as layer maps before normalisation are.</summary>
    public static Heatmap RawMap(int image, int method)
    {
        var map = new Heatmap(LayerWidth, LayerHeight);
        for (int i = 0; i < map.Values.Length; i++) map.Values[i] = 0.25f * i + image + 2 * method;
        return map;
    }

    public static IReadOnlyList<Prediction> Predictions() =>
    [
        new() { Index = Target, Label = Label, Probability = 0.6, Logit = 9.5 },
        new() { Index = 281, Label = "tabby, tabby cat", Probability = 0.2, Logit = 8.4 },
        new() { Index = 282, Label = "tiger cat", Probability = 0.1, Logit = 7.7 },
        new() { Index = 245, Label = "French bulldog", Probability = 0.05, Logit = 7.0 },
        new() { Index = 0, Label = "tench", Probability = 0.01, Logit = 5.4 },
    ];

    public static ModelSummary Model(string path) => new()
    {
        Path = path,
        Name = "SqueezeNet <1.1> & co",
        Input = new InputConvention
        {
            Size = [224, 224],
            Layout = "NCHW",
            Channels = "BGR",
            Range = 255,
            Mean = [104, 117, 123],
            Std = [1, 1, 1],
            Resize = "stretch",
        },
    };

    public static ExplanationSettings Settings() => new()
    {
        Methods = Methods,
        Target = "top1",
        Layers = Layers,
        Colormap = "jet",
        Opacity = 0.5,
        AugSmooth = false,
        EigenSmooth = false,
        Threads = 2,
    };

    /// <summary>Writes the run and finishes it (results.json and report.html).</summary>
    public static FakeRun Write()
    {
        var run = new FakeRun(new TempDirectory());
        try
        {
            run.WriteFiles();
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    private void WriteFiles()
    {
        Directory.CreateDirectory(Path.Combine(Inputs, "a"));
        Directory.CreateDirectory(Path.Combine(Inputs, "b"));
        string model = Path.Combine(Inputs, "model.onnx");
        File.WriteAllBytes(model, [1, 2, 3]);
        Sources = [Path.Combine(Inputs, "a", "cat.png"), Path.Combine(Inputs, "broken.png"), Path.Combine(Inputs, "b", "cat.png")];
        ImageEncoder.Write(Sources[0], Picture(0));
        File.WriteAllBytes(Sources[1], [0x42, 0x41, 0x44]);
        ImageEncoder.Write(Sources[2], Picture(1));

        Output = OutputDirectory.Prepare(Path.Combine(Temp.Path, "out"));
        Writer = new ExplanationWriter(Output, Model(model), Settings(), gazeVersion: "9.9.9-test");
        AddImage(Sources[0], 0);
        Writer.AddFailedImage(Sources[1], BrokenError);
        AddImage(Sources[2], 1);
        Results = Writer.Finish();
    }

    private void AddImage(string source, int image)
    {
        var output = Writer.AddImage(source, Picture(image), Predictions());
        for (int m = 0; m < Methods.Length; m++)
            output.Add(Methods[m], Target, Label, Layers, InputHeatmap(image, m), RawMap(image, m), milliseconds: 10.5 + image + 3 * m);
    }

    public void Dispose() => Temp.Dispose();
}
