using System.Text.Json;
using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Errors;
using Gaze.Evaluation.Sanity;
using Gaze.Explaining;
using Gaze.Models;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Keras;

/// <summary>
/// A Keras export (tf2onnx) is treated like the PyTorch export of the same network with the same weights: same
/// predictions, same maps from every CAM method, with no sidecar or option for the Keras file (its layout and size
/// are read from the graph).
/// </summary>
public sealed class KerasTwinTests
{
    public static TheoryData<string> Networks() => new(KerasTwins.Names);

    public static TheoryData<string, string> NetworksAndCamMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (string network in KerasTwins.Names)
            foreach (var method in MethodRegistry.Default.Methods.OfType<CamAttribution>())
                data.Add(network, method.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Keras_file_input_convention_comes_from_the_graph(string name)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);

        using var keras = LoadedModel.Open(pair.KerasPath);
        using var torch = LoadedModel.Open(pair.TorchPath);

        Assert.Equal(TensorLayout.NHWC, keras.Input.Layout);
        Assert.Equal(InputSource.Graph, keras.InputSources.Layout);
        Assert.Equal(InputSize.Square(pair.Size), keras.Input.Size);
        Assert.Equal(InputSource.Graph, keras.InputSources.Size);
        Assert.Equal(keras.Input with { Layout = TensorLayout.NCHW }, torch.Input);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_gives_the_same_top5_and_probabilities_for_both_twins(string name)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);
        string image = SharedData.Require("images/cat-and-dog.png");
        var keras = Predictions(CliRunner.Run("predict", image, "--model", pair.KerasPath, "--top", "5", "--json"));
        var torch = Predictions(CliRunner.Run("predict", image, "--model", pair.TorchPath, "--top", "5", "--json"));

        Assert.Equal(torch.Select(p => p.Index), keras.Select(p => p.Index));
        for (int i = 0; i < 5; i++) Assert.True(Math.Abs(torch[i].Probability - keras[i].Probability) < 1e-5, $"rank {i}: {torch[i]} vs {keras[i]}");
    }

    [Theory]
    [MemberData(nameof(NetworksAndCamMethods))]
    public void Every_cam_method_draws_the_same_heatmaps_for_both_twins(string name, string methodName)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);
        var method = MethodRegistry.Default.Get(methodName);
        using var keras = LoadedModel.Open(pair.KerasPath);
        using var torch = LoadedModel.Open(pair.TorchPath);
        using var scope = NewDisposeScope();
        var x = rand([2, 3, pair.Size, pair.Size], generator: new Generator(5)) * 4 - 2;

        if (methodName == "cam" && !pair.LinearHead)
        {
            var error = Assert.Throws<UnsuitableLayerException>(() => Heatmaps(keras, method, x.permute(0, 2, 3, 1)));
            Assert.Contains("gradcam", error.Message);
            Assert.Throws<UnsuitableLayerException>(() => Heatmaps(torch, method, x));
            return;
        }
        var (kerasMaps, kerasTargets) = Heatmaps(keras, method, x.permute(0, 2, 3, 1).contiguous());
        var (torchMaps, torchTargets) = Heatmaps(torch, method, x);

        Assert.Equal(torchTargets, kerasTargets);
        for (int i = 0; i < 2; i++)
        {
            double[] a = [.. kerasMaps[i].flatten().to(ScalarType.Float64).data<double>()];
            double[] b = [.. torchMaps[i].flatten().to(ScalarType.Float64).data<double>()];
            double difference = a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
            // A constant map has no correlation; then the maps must simply be equal.
            double pearson = PearsonCorrelation.Of(a, b);
            Assert.True(pearson >= 0.999 || difference < 1e-4, $"{name} {methodName} image {i}: Pearson {pearson}, max difference {difference}");
        }
    }

    [Theory]
    [MemberData(nameof(CamMethods))]
    public void A_channels_last_transpose_gives_the_maps_of_the_tensor_it_comes_from(string methodName)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build("gap-cnn", directory.Path);
        var method = MethodRegistry.Default.Get(methodName);
        using var keras = LoadedModel.Open(pair.KerasPath);
        // tf2onnx's Transpose back to NHWC before the global pooling: [N,16,16,12] read as 12 channels of 16x16.
        var transposed = keras.Layers.Layers.Single(l => l.OpType == "Transpose" && l.ChannelsLast);
        Assert.Equal(pair.LastBlockChw, new[] { transposed.Channels, transposed.Height, transposed.Width });
        using var scope = NewDisposeScope();
        var x = (rand([2, 3, pair.Size, pair.Size], generator: new Generator(8)) * 4 - 2).permute(0, 2, 3, 1).contiguous();

        var (fromTransposed, _) = Heatmaps(keras, method, x, transposed.Name);
        var (fromSource, _) = Heatmaps(keras, method, x, pair.KerasLastBlock);

        for (int i = 0; i < 2; i++)
        {
            float difference = (fromTransposed[i] - fromSource[i]).abs().max().item<float>();
            Assert.True(difference < 1e-5f, $"{methodName} image {i}: max difference {difference}");
        }
    }

    public static TheoryData<string> CamMethods() => new(MethodRegistry.Default.Methods.OfType<CamAttribution>().Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Keras_default_cam_layer_is_the_last_block_with_its_real_size(string name)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);

        var result = CliRunner.Run("layers", pair.KerasPath, "--json");

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        Assert.Equal(pair.KerasLastBlock, root.GetProperty("default_cam_layer").GetString());
        var layer = root.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("cam_default").GetBoolean());
        Assert.Equal(pair.LastBlockChw, layer.GetProperty("chw").EnumerateArray().Select(d => d.GetInt64()));
        var input = root.GetProperty("input");
        Assert.Equal("NHWC", input.GetProperty("layout").GetString());
        Assert.Equal("graph", input.GetProperty("sources").GetProperty("layout").GetString());
        Assert.Equal("graph", input.GetProperty("sources").GetProperty("size").GetString());

        var table = CliRunner.Run("layers", pair.KerasPath);
        // Long tensor names wrap inside their cell; the row's first line holds the size and the mark.
        string row = table.Output.Split('\n').Single(l => l.Contains("default CAM"));
        Assert.Contains(string.Join("x", pair.LastBlockChw), row);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Keras_layer_names_resolve_to_the_last_block(string name)
    {
        using var directory = new TempDirectory();
        var pair = KerasTwins.Build(name, directory.Path);
        using var keras = LoadedModel.Open(pair.KerasPath);

        var layer = keras.Layers.ResolveSpatial(pair.KerasAlias);

        Assert.Equal(pair.LastBlockChw, new[] { layer.Channels, layer.Height, layer.Width });
        Assert.Contains("/" + pair.KerasAlias + "/", "/" + layer.Name);
    }

    private static (Tensor[] Maps, IReadOnlyList<int> Targets) Heatmaps(LoadedModel model, AttributionMethod method, Tensor input, string? layer = null)
    {
        var options = AttributionOptions.Default with { InputLayout = model.Input.Layout };
        using var explainer = new Explainer(model.Graph, model.ResolveLayers(layer), options);
        using var explanation = explainer.Explain(method, input, TargetRequest.Ranked(0));
        return ([.. Enumerable.Range(0, (int)input.shape[0]).Select(i => explanation.Heatmaps[i].detach().clone())], explanation.Targets);
    }

    private sealed record Prediction(int Index, double Probability);

    private static Prediction[] Predictions(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        return [.. document.RootElement.GetProperty("images")[0].GetProperty("predictions").EnumerateArray()
            .Select(p => new Prediction(p.GetProperty("index").GetInt32(), p.GetProperty("probability").GetDouble()))];
    }
}
