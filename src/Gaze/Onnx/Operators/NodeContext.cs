using Gaze.Engine;
using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// What an operator factory sees at load time: the node, its attributes, the opset, and the values of inputs
/// that are constant (initializers, Constant nodes, folded subgraphs), so factories can prepare them once.
/// </summary>
internal sealed class NodeContext
{
    private readonly Dictionary<string, AttributeProto> attributes;
    private readonly Func<string, Tensor?> constantLookup;
    private readonly List<Tensor> kept;

    public NodeContext(NodeProto node, int opset, string modelPath, Func<string, Tensor?> constantLookup, bool fixedBatchOfOne, List<Tensor> kept,
        Precision precision = Precision.Float32)
    {
        Precision = precision;
        this.kept = kept;
        Node = node;
        Opset = opset;
        ModelPath = modelPath;
        this.constantLookup = constantLookup;
        FixedBatchOfOne = fixedBatchOfOne;
        attributes = new Dictionary<string, AttributeProto>(StringComparer.Ordinal);
        foreach (var a in node.Attribute) attributes[a.Name] = a;
    }

    /// <summary>The node.</summary>
    public NodeProto Node { get; }

    /// <summary>The default-domain opset the model imports (decides which version of an operator applies).</summary>
    public int Opset { get; }

    /// <summary>The model file, for messages.</summary>
    public string ModelPath { get; }

    /// <summary>
    /// True when the model declares its data input with a fixed batch of 1 (old exports). Reshape then lets a
    /// leading 1 in a constant target shape follow the actual batch, so such models still run on batches.
    /// </summary>
    public bool FixedBatchOfOne { get; }

    /// <summary>The number format of convolutions and matrix products (see <see cref="MatrixPrecision"/>).</summary>
    public Precision Precision { get; }

    /// <summary>The node's op type.</summary>
    public string OpType => Node.OpType;

    /// <summary>How many outputs the node lists.</summary>
    public int OutputCount => Node.Output.Count;

    /// <summary>True when the node names input <paramref name="index"/>.</summary>
    public bool HasInput(int index) => index < Node.Input.Count && Node.Input[index].Length > 0;

    /// <summary>The value of input <paramref name="index"/> when it is known at load time, else null.</summary>
    public Tensor? Constant(int index) => HasInput(index) ? constantLookup(Node.Input[index]) : null;

    /// <summary>The integers of constant input <paramref name="index"/>, or null when it is absent or not constant.</summary>
    public long[]? ConstantLongs(int index) => Constant(index) is { } t ? Values.Longs(t) : null;

    /// <summary>The single number of constant input <paramref name="index"/>, or null.</summary>
    public double? ConstantScalar(int index) => Constant(index) is { } t ? Values.Scalar(t) : null;

    /// <summary>True when the node has attribute <paramref name="name"/>.</summary>
    public bool Has(string name) => attributes.ContainsKey(name);

    /// <summary>Integer attribute, or <paramref name="fallback"/>.</summary>
    public long Int(string name, long fallback) => attributes.TryGetValue(name, out var a) ? a.I : fallback;

    /// <summary>Float attribute, or <paramref name="fallback"/>.</summary>
    public float Float(string name, float fallback) => attributes.TryGetValue(name, out var a) ? a.F : fallback;

    /// <summary>String attribute, or <paramref name="fallback"/>.</summary>
    public string String(string name, string fallback) =>
        attributes.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

    /// <summary>Integer-list attribute, or null when absent.</summary>
    public long[]? Ints(string name) => attributes.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;

    /// <summary>Float-list attribute, or null when absent.</summary>
    public float[]? Floats(string name) => attributes.TryGetValue(name, out var a) ? a.Floats.ToArray() : null;

    /// <summary>Tensor attribute as a tensor of its compute type, or null when absent.</summary>
    public Tensor? TensorAttribute(string name) =>
        attributes.TryGetValue(name, out var a) && a.T is not null ? Keep(TensorProtoConverter.ToTensor(a.T, ModelPath)) : null;

    /// <summary>
    /// Marks a tensor the operator keeps for the graph's lifetime, so the loader takes it out of the temporary
    /// dispose scope that frees everything else created at load.
    /// </summary>
    public Tensor Keep(Tensor tensor)
    {
        kept.Add(tensor);
        return tensor;
    }

    /// <summary>
    /// Keeps <paramref name="derived"/> (see <see cref="Keep"/>) when it is a new tensor made from the constant
    /// <paramref name="source"/>; when the preparation had nothing to change and handed back the source itself, the
    /// graph already owns it.
    /// </summary>
    public Tensor KeepDerived(Tensor source, Tensor derived) => ReferenceEquals(source, derived) ? derived : Keep(derived);

    /// <summary>The attribute itself (for Constant's many value forms).</summary>
    public AttributeProto? Attribute(string name) => attributes.GetValueOrDefault(name);

    /// <summary>A short description for messages: the node's name, else its first output.</summary>
    public string DisplayName => Describe(Node);

    /// <summary>The node's name, or its first output when the exporter left it unnamed.</summary>
    public static string Describe(NodeProto node) =>
        node.Name.Length > 0 ? node.Name : node.Output.Count > 0 ? "output " + node.Output[0] : "(unnamed)";
}
