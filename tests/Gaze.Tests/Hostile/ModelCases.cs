using Gaze.Tests.Imaging;
using Gaze.Tests.Onnx;
using Gaze.Tests.Support;
using Google.Protobuf;

namespace Gaze.Tests.Hostile;

/// <summary>
/// Hostile model files, met by <c>layers MODEL</c> (which only loads), <c>check</c> (which also hands the model to
/// ONNX Runtime) or <c>predict</c> (which runs it): one line naming the model and what is wrong, exit 2.
/// </summary>
internal static class ModelCases
{
    public static IEnumerable<HostileCase> All =>
    [
        Layers("model-zero-bytes", "an empty .onnx file", s => s.Write("model/empty.onnx", []), "empty file"),
        Layers("model-random-bytes", "4 KB of random bytes", s => s.Write("model/noise.onnx", RandomBytes(4096)), "not an ONNX model"),
        Layers("model-truncated", "the MNIST model cut in half", s => s.Write("model/half.onnx", HalfOfMnist()), "truncated"),
        Layers("model-no-graph", "a valid model message without a graph", s => s.Write("model/hollow.onnx", HostileModels.WithoutGraph()), "no graph"),
        Layers("model-cycle", "two nodes feeding each other", s => Model(s, "cycle.onnx", HostileModels.Cycle()), "cycle"),
        Layers("model-missing-initializer", "a Conv whose weight is defined nowhere", s => Model(s, "dangling.onnx", new TestModelBuilder()
            .Input("x", 1, 3, 8, 8).NamedNode("Conv", "conv", ["x", "nowhere"], ["y"]).Output("y")), "'nowhere'"),
        Layers("model-unsupported-op", "an operator Gaze does not know", s => Model(s, "fancy.onnx", new TestModelBuilder()
            .Input("x", 1, 3, 8, 8).NamedNode("FancyOp", "fancy_node", ["x"], ["y"]).Output("y")), "FancyOp (first at node 'fancy_node')"),
        new HostileCase("model-opset-99", "a model of opset 99", 2, s => ["check", Model(s, "future.onnx", HostileModels.Classifier(opset: 99))])
        {
            Says = "opset",
        },
        Layers("model-external-absolute", "external weights at an absolute path", s => Model(s, "abs.onnx", HostileModels.WithExternalData(("location", "/etc/passwd"))),
            "is an absolute path"),
        Layers("model-external-escape", "external weights at ../secret.bin", s => Model(s, "escape.onnx", HostileModels.WithExternalData(("location", "../secret.bin"))),
            "leaves the model's folder"),
        Layers("model-external-link-out", "external weights through a link to /etc/passwd", s =>
        {
            Directory.CreateDirectory(s.File("model"));
            File.CreateSymbolicLink(s.File("model/weights.bin"), "/etc/passwd");
            return Model(s, "link.onnx", HostileModels.WithExternalData(("location", "weights.bin")));
        }, "is a link to /etc/passwd"),
        Layers("model-external-missing", "external weights in a file that is not there", s => Model(s, "missing.onnx",
            HostileModels.WithExternalData(("location", "weights.bin"))), "not found"),
        Layers("model-external-fifo", "external weights in a named pipe beside the model", s =>
        {
            Directory.CreateDirectory(s.File("model"));
            ImageLimitTests.MakeFifo(s.File("model/weights.bin"));
            return Model(s, "pipe.onnx", HostileModels.WithExternalData(("location", "weights.bin")));
        }, "is a FIFO (named pipe)"),
        Layers("model-external-bad-offset", "external data whose offset is not a number", s =>
        {
            s.Write("model/weights.bin", new byte[16]);
            return Model(s, "offset.onnx", HostileModels.WithExternalData(("location", "weights.bin"), ("offset", "lots")));
        }, "offset"),
        Layers("model-external-huge-length", "external data claiming 2^63 - 1 bytes", s =>
        {
            s.Write("model/weights.bin", new byte[16]);
            return Model(s, "length.onnx", HostileModels.WithExternalData(("location", "weights.bin"), ("offset", "8"), ("length", long.MaxValue.ToString())));
        }, "too short"),
        Layers("model-initializer-1e12", "a weight declaring 10^12 values, holding 4", s => Model(s, "big.onnx",
            HostileModels.WithRawInitializer([1_000_000, 1_000_000], 16)), "needs 1000000000000"),
        Layers("model-initializer-overflow", "a weight of shape [2^32, 2^32], whose count overflows to 0", s => Model(s, "overflow.onnx",
            HostileModels.WithRawInitializer([1L << 32, 1L << 32], 0)), "tensor 'w'"),
        Predict("model-nan-weights", "a convolution weight that is NaN", 2, s =>
        {
            float[] weight = new float[54];
            weight[4] = float.NaN;
            return Model(s, "nan.onnx", HostileModels.Classifier(weight));
        }, "model output is not finite") with
        {
            Names = s => s.File("good.png"),
        },
        Predict("model-not-classifier", "an image-to-image model (output [1,3,8,8])", 2, s => Model(s, "filter.onnx", HostileModels.ImageToImage()),
            "not class scores [N, classes]"),
        Layers("model-fifo", "a named pipe called model.onnx", s =>
        {
            Directory.CreateDirectory(s.File("model"));
            ImageLimitTests.MakeFifo(s.File("model/pipe.onnx"));
            return s.Subject = s.File("model/pipe.onnx");
        }, "is a FIFO (named pipe)"),
        Layers("model-dev-zero", "/dev/zero as the model", s => s.Subject = "/dev/zero", "is a character device"),
        Layers("model-directory", "a directory named x.onnx", s => Directory.CreateDirectory(s.Subject = s.File("x.onnx")).FullName, "is a directory"),
        Layers("model-missing", "a model file that does not exist", s => s.Subject = s.File("absent.onnx"), "no such file"),
        Layers("model-over-2gb", "a sparse 3 GB .onnx file", s =>
        {
            string path = s.Write("model/huge.onnx", HalfOfMnist());
            using (var file = new FileStream(path, FileMode.Open)) file.SetLength(3L << 30);
            return path;
        }, "2 GB"),
    ];

    private static HostileCase Layers(string id, string input, Func<HostileScene, string> model, string says) =>
        new(id, input, 2, s => ["layers", model(s)]) { Says = says };

    private static HostileCase Predict(string id, string input, int exitCode, Func<HostileScene, string> model, string says) =>
        new(id, input, exitCode, s => ["predict", s.GoodImage(), "--model", model(s)]) { Says = says };

    private static string Model(HostileScene scene, string name, TestModelBuilder builder) =>
        scene.Write("model/" + name, builder.Model.ToByteArray());

    private static byte[] HalfOfMnist()
    {
        byte[] bytes = File.ReadAllBytes(SharedData.Require("models/mnist-cntk.onnx"));
        return bytes[..(bytes.Length / 2)];
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(12).NextBytes(bytes);
        return bytes;
    }
}
