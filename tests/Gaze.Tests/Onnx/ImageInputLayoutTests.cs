using Gaze.Onnx;
using Gaze.Tests.Support;

namespace Gaze.Tests.Onnx;

/// <summary>Where a 4-D image input keeps its channels, read from the graph (tf2onnx exports take NHWC).</summary>
public sealed class ImageInputLayoutTests
{
    private static readonly float[] Weights = [.. Enumerable.Range(0, 4 * 3 * 9).Select(i => (i % 7) * 0.1f - 0.3f)];

    public static TheoryData<string, long?[], bool?, string> Cases() => new()
    {
        // A Transpose to channels first decides, even where the dimensions cannot (a 3x3 image of 3 channels).
        { "transpose", [null, 3, 3, 3], true, "a Transpose to channels first follows the input" },
        // Keras' own preprocessing (Rescaling: Mul, Add) may come first; symbolic sizes leave only the graph to tell.
        { "rescale-then-transpose", [null, null, null, 3], true, "a Transpose to channels first follows the input" },
        { "conv", [null, null, null, null], false, "the input reaches Conv, which takes channels first, without a Transpose" },
        { "flatten", [null, 28, 28, 1], true, "the last dimension of [N,28,28,1] holds the channels" },
        { "flatten", [null, 1, 28, 28], false, "dimension 1 of [N,1,28,28] holds the channels" },
        { "flatten", [null, null, null, null], null, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_graph_tells_where_the_channels_are(string graphKind, long?[] shape, bool? channelsLast, string evidence)
    {
        using var dir = new TempDirectory();
        var builder = new TestModelBuilder().Input("x", shape);
        switch (graphKind)
        {
            case "transpose":
                builder.Node("Transpose", ["x"], ["y"], ("perm", new long[] { 0, 3, 1, 2 }));
                break;
            case "rescale-then-transpose":
                builder.Initializer("scale", [1 / 127.5f]).Initializer("shift", [-1f])
                    .Node("Mul", ["x", "scale"], ["m"]).Node("Add", ["m", "shift"], ["a"])
                    .Node("Transpose", ["a"], ["y"], ("perm", new long[] { 0, 3, 1, 2 }));
                break;
            case "conv":
                builder.Initializer("w", Weights, 4, 3, 3, 3).Node("Conv", ["x", "w"], ["y"]);
                break;
            default:
                builder.Node("Flatten", ["x"], ["y"]);
                break;
        }
        using var graph = OnnxGraph.Load(builder.Output("y").Save(dir.File("m.onnx")));

        var layout = graph.Inputs[0].Layout;

        Assert.Equal(channelsLast, layout?.ChannelsLast);
        if (layout is not null) Assert.Equal(evidence, layout.Evidence);
        Assert.Equal(channelsLast == true ? 3 : 1, graph.Inputs[0].ChannelAxis);
    }
}
