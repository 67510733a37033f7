using Gaze.Datasets;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;

namespace Gaze.Tests.Training;

/// <summary>
/// Small, fast inputs for fine-tuning tests: a random convolutional backbone (conv, batch norm, ReLU, pooling,
/// conv, ReLU, then a global-pool classifier) at 32x32 with a sidecar, and shapes data sets.
/// </summary>
internal static class FinetuneFixtures
{
    /// <summary>The tiny backbone's 4-D feature map [N,16,16,16] (its CAM layer).</summary>
    public const string FeatureLayer = "features";

    /// <summary>The tiny backbone's global-pooled tensor [N,16,1,1].</summary>
    public const string PooledLayer = "pooled";

    /// <summary>The tiny backbone's flattened tensor [N,16].</summary>
    public const string FlatLayer = "flat";

    /// <summary>Writes the tiny backbone (float32, dynamic batch) and its sidecar into <paramref name="directory"/>.</summary>
    public static string WriteTinyBackbone(string directory)
    {
        var random = new Random(5);
        float[] Values(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        var model = new TestModelBuilder(13)
            .Input("image", null, 3, 32, 32)
            .Initializer("conv1.weight", Values(8 * 3 * 9, 0.4), 8, 3, 3, 3)
            .Initializer("conv1.bias", Values(8, 0.1), 8)
            .Initializer("bn1.scale", Values(8, 0.2).Select(v => 1 + v).ToArray(), 8)
            .Initializer("bn1.bias", Values(8, 0.1), 8)
            .Initializer("bn1.mean", Values(8, 0.1), 8)
            .Initializer("bn1.var", Values(8, 0.2).Select(v => 1 + v).ToArray(), 8)
            .Initializer("conv2.weight", Values(16 * 8 * 9, 0.2), 16, 8, 3, 3)
            .Initializer("conv2.bias", Values(16, 0.1), 16)
            .Initializer("fc.weight", Values(10 * 16, 0.3), 10, 16)
            .Initializer("fc.bias", Values(10, 0.1), 10)
            .NamedNode("Conv", "conv1", ["image", "conv1.weight", "conv1.bias"], ["c1"], ("pads", new long[] { 1, 1, 1, 1 }))
            .NamedNode("BatchNormalization", "bn1", ["c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"], ["n1"])
            .NamedNode("Relu", "relu1", ["n1"], ["r1"])
            .NamedNode("MaxPool", "pool1", ["r1"], ["p1"], ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }))
            .NamedNode("Conv", "conv2", ["p1", "conv2.weight", "conv2.bias"], ["c2"], ("pads", new long[] { 1, 1, 1, 1 }))
            .NamedNode("Relu", "relu2", ["c2"], [FeatureLayer])
            .NamedNode("GlobalAveragePool", "gap", [FeatureLayer], [PooledLayer])
            .NamedNode("Flatten", "flatten", [PooledLayer], [FlatLayer])
            .NamedNode("Gemm", "fc", [FlatLayer, "fc.weight", "fc.bias"], ["scores"], ("transB", 1))
            .NamedNode("Softmax", "softmax", ["scores"], ["probabilities"], ("axis", 1))
            .Output("probabilities");
        string path = model.Save(Path.Combine(directory, "tiny.onnx"));
        File.WriteAllText(Path.Combine(directory, "tiny.gaze.json"), """
            {
              "name": "tiny test backbone",
              "input": { "size": [32, 32], "layout": "NCHW", "channels": "RGB", "range": 1, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "resize": "stretch" }
            }
            """);
        return path;
    }

    /// <summary>Writes <paramref name="count"/> shapes images (8 classes, 32x32 unless told) into <paramref name="directory"/>.</summary>
    public static string WriteShapes(string directory, int count, int size = ShapesGenerator.MinSize)
    {
        ShapesDataset.Write(directory, count, seed: 11, size);
        return directory;
    }

    /// <summary>
    /// Asserts that a fine-tuned <paramref name="model"/> passes <c>gaze check</c> and that <c>gaze explain --method cam</c>
    /// writes one heatmap for a star of <paramref name="data"/> (into <paramref name="output"/>).
    /// </summary>
    public static void AssertChecksAndExplainsWithCam(string model, string data, string output)
    {
        var check = CliRunner.Run("check", model);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        string image = Directory.GetFiles(Path.Combine(data, "star"))[0];
        var explain = CliRunner.Run("explain", image, "--model", model, "--method", "cam", "--out", output);
        Assert.True(explain.ExitCode == 0, explain.Output + explain.Error);
        Assert.Single(Directory.GetFiles(output, "cam-*-heatmap.npy", SearchOption.AllDirectories));
    }
}
