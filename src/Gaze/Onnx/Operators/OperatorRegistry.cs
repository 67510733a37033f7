namespace Gaze.Onnx.Operators;

/// <summary>
/// The operators Gaze supports, by ONNX op type (default domain). A factory builds an operator from a node at
/// load time; it throws <see cref="NotSupportedException"/> for attribute values Gaze does not implement, which
/// the loader reports together with unknown op types.
/// </summary>
internal sealed class OperatorRegistry
{
    private readonly Dictionary<string, Func<NodeContext, OnnxOperator>> factories = new(StringComparer.Ordinal);

    /// <summary>The registry with every supported operator.</summary>
    public static OperatorRegistry Default { get; } = CreateDefault();

    /// <summary>Registers <paramref name="factory"/> for <paramref name="opType"/>.</summary>
    public void Add(string opType, Func<NodeContext, OnnxOperator> factory) => factories.Add(opType, factory);

    /// <summary>True when Gaze has an implementation of <paramref name="opType"/> in <paramref name="domain"/>.</summary>
    public bool Supports(string domain, string opType) => IsDefaultDomain(domain) && factories.ContainsKey(opType);

    /// <summary>Builds the operator for <paramref name="node"/>.</summary>
    public OnnxOperator Create(NodeContext node) => factories[node.OpType](node);

    /// <summary>The default ONNX domain is spelled "" or "ai.onnx".</summary>
    public static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";

    private static OperatorRegistry CreateDefault()
    {
        var r = new OperatorRegistry();
        ActivationOperators.Register(r);
        ElementwiseOperators.Register(r);
        ConvolutionOperators.Register(r);
        PoolingOperators.Register(r);
        NormalizationOperators.Register(r);
        LinearOperators.Register(r);
        ShapeOperators.Register(r);
        SliceOperators.Register(r);
        ReduceOperators.Register(r);
        SoftmaxOperator.Register(r);
        PadOperator.Register(r);
        ResizeOperator.Register(r);
        LegacyImageOperators.Register(r);
        return r;
    }
}
