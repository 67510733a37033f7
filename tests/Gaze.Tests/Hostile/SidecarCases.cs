using System.Text.Json;

namespace Gaze.Tests.Hostile;

/// <summary>
/// Hostile <c>.gaze.json</c> sidecars beside a copy of the MNIST model, met by <c>predict IMAGE --model MODEL</c>:
/// one line naming the sidecar and the field, exit 2.
/// </summary>
internal static class SidecarCases
{
    public static IEnumerable<HostileCase> All =>
    [
        Predict("sidecar-malformed-json", "a sidecar that is not JSON", "{ \"input\": { \"size\": [28, 28] ", "not valid JSON"),
        Predict("sidecar-not-object", "a sidecar whose top level is an array", "[1, 2, 3]", "(top level): must be a JSON object"),
        Predict("sidecar-wrong-type", "input.size given as text", """{ "input": { "size": "large" } }""", "input.size"),
        Predict("sidecar-size-8000", "input.size of 8000x8000", """{ "input": { "size": [8000, 8000] } }""", "input.size: height and width must be 1 to 4096"),
        Predict("sidecar-size-zero", "input.size of 0x0", """{ "input": { "size": [0, 0] } }""", "input.size: height and width must be 1 to 4096"),
        Predict("sidecar-size-negative", "input.size of -28x28", """{ "input": { "size": [-28, 28] } }""", "input.size: height and width must be 1 to 4096"),
        Predict("sidecar-mean-two-values", "two means for a gray model", """{ "input": { "channels": "GRAY", "mean": [0, 1] } }""", "input.mean"),
        Predict("sidecar-std-zero", "a standard deviation of 0", """{ "input": { "channels": "GRAY", "std": [0] } }""", "input.std"),
        Predict("sidecar-unknown-field", "a misspelt field (inptu)", """{ "inptu": { "size": [28, 28] } }""", "inptu"),
        Predict("sidecar-deep-nesting", "JSON nested 100,000 deep", "{ \"name\": " + new string('[', 100_000) + new string(']', 100_000) + " }", "not valid JSON"),
        Predict("sidecar-labels-absolute", "labels at an absolute path", """{ "labels": "/etc/passwd" }""", "is an absolute path"),
        Predict("sidecar-labels-escape", "labels at ../labels.txt", """{ "labels": "../labels.txt" }""", "leaves the model's folder"),
        Predict("sidecar-labels-missing", "labels in a file that is not there", """{ "labels": "labels.txt" }""", "no such file"),
        Predict("sidecar-labels-fifo", "labels in a named pipe beside the model", """{ "labels": "labels.txt" }""", "is a FIFO (named pipe)",
            s => Imaging.ImageLimitTests.MakeFifo(s.File("model/labels.txt"))),
        Predict("sidecar-labels-wrong-type", "labels given as a number", """{ "labels": 10 }""", "labels: must be a file name or an array of strings"),
        new HostileCase("sidecar-labels-too-few", "3 labels for a model of 10 classes", 0, s =>
        {
            string model = s.CopyMnist();
            s.WriteText("model/mnist.gaze.json", """{ "input": { "size": [28, 28], "channels": "GRAY", "range": 255 }, "labels": ["zero", "one", "two"] }""");
            return ["predict", s.GoodImage(), "--model", model, "--top", "10", "--json"];
        })
        {
            Then = (_, result) =>
            {
                using var json = JsonDocument.Parse(result.Output);
                var labels = json.RootElement.GetProperty("images")[0].GetProperty("predictions").EnumerateArray()
                    .ToDictionary(p => p.GetProperty("index").GetInt32(), p => p.GetProperty("label").GetString());
                Assert.Equal("two", labels[2]);
                Assert.Null(labels[7]);
            },
        },
        new HostileCase("sidecar-fifo", "a named pipe as the sidecar", 2, s =>
        {
            string model = s.CopyMnist();
            Imaging.ImageLimitTests.MakeFifo(s.Subject = s.File("model/mnist.gaze.json"));
            return ["predict", s.GoodImage(), "--model", model];
        })
        {
            Says = "is a FIFO (named pipe)",
        },
        new HostileCase("sidecar-cam-layer-unknown", "layers.cam naming a tensor the model lacks", 2, s =>
        {
            string model = s.CopyMnist();
            s.WriteText("model/mnist.gaze.json", """{ "layers": { "cam": "no_such_tensor" } }""");
            return ["explain", s.GoodImage(), "--model", model, "--out", s.Out];
        })
        {
            Names = _ => "no_such_tensor",
            Says = "no layer named 'no_such_tensor'",
        },
    ];

    /// <summary>predict on a copy of MNIST whose sidecar holds <paramref name="json"/>; the line names the sidecar.</summary>
    private static HostileCase Predict(string id, string input, string json, string says, Action<HostileScene>? arrange = null) =>
        new(id, input, 2, s =>
        {
            string model = s.CopyMnist();
            arrange?.Invoke(s);
            s.WriteText("model/mnist.gaze.json", json);
            return ["predict", s.GoodImage(), "--model", model];
        })
        { Says = says };
}
