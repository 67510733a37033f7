using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// The linear classifier that follows a layer in a CAM network, found in the graph: either global average pooling
/// then one linear layer (Gemm or MatMul, plus bias), or a 1x1 convolution then global average pooling (SqueezeNet).
/// Either way class c's score is (up to the bias and a ReLU between convolution and pooling) the spatial mean of
/// sum_k W[c,k] A_k, which is what the original CAM draws. Keras exports (tf2onnx) write the same head as a Transpose
/// to channels last, ReduceMean over axes 1 and 2, MatMul and Add; Transposes between the layouts are followed.
/// </summary>
internal static class ClassifierHead
{
    private static readonly HashSet<string> PassThrough = ["Dropout", "Identity"];
    private static readonly HashSet<string> Reshaping = ["Flatten", "Reshape", "Squeeze", "Identity", "Dropout"];

    /// <summary>The head's weights W [classes,K] for <paramref name="layer"/> (a tensor name of <paramref name="graph"/>).</summary>
    /// <exception cref="UnsuitableLayerException">The layer is not followed by such a head.</exception>
    public static Tensor WeightsAfter(OnnxGraph graph, string layer)
    {
        var walk = new HeadWalk(graph, layer);
        NodeProto next = walk.NextSkipping(PassThrough);
        Tensor weights;
        if (next.OpType == "Conv")
        {
            weights = walk.ConvolutionWeights(next);
            next = walk.NextSkipping([.. PassThrough, "Relu"]);
            walk.RequireGlobalAveragePool(next);
            walk.NextToScores(Reshaping);
        }
        else
        {
            walk.RequireGlobalAveragePool(next);
            weights = walk.LinearWeights(walk.NextSkipping(Reshaping));
            walk.NextToScores(["Add", .. Reshaping]);
        }
        return weights;
    }

    /// <summary>Follows the single chain of consumers from the layer, failing with a message that says where it broke.</summary>
    private sealed class HeadWalk
    {
        private const string Expected =
            "is not followed by global average pooling and one linear layer (or a 1x1 convolution then global average pooling), which CAM needs";

        private readonly OnnxGraph graph;
        private readonly string layer;
        private string current;
        private bool channelsLast;

        public HeadWalk(OnnxGraph graph, string layer)
        {
            this.graph = graph;
            this.layer = layer;
            current = layer;
            channelsLast = graph.IsChannelsLast(layer);
        }

        /// <summary>The next node that is not in <paramref name="skipped"/> nor a Transpose between the two layouts.</summary>
        public NodeProto NextSkipping(HashSet<string> skipped)
        {
            NodeProto node = Consumer();
            while (skipped.Contains(node.OpType) || IsLayoutTranspose(node)) node = Consumer();
            return node;
        }

        private bool IsLayoutTranspose(NodeProto node)
        {
            if (ChannelsLastTensors.MovesChannelsLast(node) is not bool toLast) return false;
            channelsLast = toLast;
            return true;
        }

        /// <summary>Walks through <paramref name="skipped"/> nodes and checks that the chain arrives at the scores.</summary>
        public void NextToScores(HashSet<string> skipped)
        {
            while (current != graph.ScoreName)
            {
                NodeProto node = Consumer();
                if (!skipped.Contains(node.OpType)) throw Fail($"(its head continues with {node.OpType} before the scores)");
            }
        }

        public void RequireGlobalAveragePool(NodeProto node)
        {
            bool pools = node.OpType switch
            {
                "GlobalAveragePool" => !channelsLast,
                "ReduceMean" => ChannelsLastTensors.ReducedAxes(node, StoredInput(node)) is { } axes && axes.SetEquals(channelsLast ? [1L, 2L] : [2L, 3L]),
                _ => false,
            };
            if (pools) return;
            if (node.OpType is "Flatten" or "Reshape")
            {
                throw new UnsuitableLayerException(graph.ModelPath, layer,
                    "is flattened into dense layers (a VGG-style head), not globally average-pooled into one linear layer, so "
                    + "the original CAM has no class weights per channel here; use --method gradcam (or another gradient CAM) for this model");
            }
            throw Fail($"(found {node.OpType} where global average pooling should be)");
        }

        /// <summary>Input i of <paramref name="node"/> when it is a stored constant (an initializer), else null.</summary>
        private Func<int, Tensor?> StoredInput(NodeProto node) =>
            i => i < node.Input.Count && graph.InitializerNames.Contains(node.Input[i]) ? graph.Initializer(node.Input[i]) : null;

        public Tensor ConvolutionWeights(NodeProto conv)
        {
            Tensor weight = Initializer(conv, 1);
            if (weight.dim() != 4 || weight.shape[2] != 1 || weight.shape[3] != 1 || (Ints(conv, "group") is { } g && g.Single() != 1))
                throw Fail("(its convolution is not 1x1)");
            return weight.flatten(1);
        }

        public Tensor LinearWeights(NodeProto linear)
        {
            switch (linear.OpType)
            {
                case "Gemm":
                    if (Int(linear, "transA") != 0) throw Fail("(its Gemm transposes the features)");
                    Tensor b = Initializer(linear, 1);
                    float alpha = linear.Attribute.FirstOrDefault(a => a.Name == "alpha")?.F ?? 1f;
                    return (Int(linear, "transB") != 0 ? b : b.t()) * alpha;
                case "MatMul":
                    return Initializer(linear, 1).t();
                default:
                    throw Fail($"(found {linear.OpType} where the linear layer should be)");
            }
        }

        /// <summary>Moves to the only consumer of the current tensor, which must use it as its first input.</summary>
        private NodeProto Consumer()
        {
            // Shape reads only the dimensions (tf2onnx's Flatten computes its target shape from them).
            var consumers = graph.Model.Graph.Node.Where(n => n.Input.Contains(current) && n.OpType != "Shape").ToList();
            if (consumers.Count != 1 || consumers[0].Input[0] != current)
                throw Fail(consumers.Count == 0 ? "(nothing consumes it)" : $"(it feeds {consumers.Count} nodes)");
            current = consumers[0].Output[0];
            return consumers[0];
        }

        private Tensor Initializer(NodeProto node, int input)
        {
            string name = node.Input.Count > input ? node.Input[input] : "";
            if (!graph.InitializerNames.Contains(name)) throw Fail($"(the weights of its {node.OpType} are not stored constants)");
            return graph.Initializer(name).detach().to(ScalarType.Float32);
        }

        private static long[]? Ints(NodeProto node, string name) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? (a.Ints.Count > 0 ? a.Ints.ToArray() : [a.I]) : null;

        private static long Int(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? 0;

        private UnsuitableLayerException Fail(string detail) => new(graph.ModelPath, layer, $"{Expected} {detail}");
    }
}
