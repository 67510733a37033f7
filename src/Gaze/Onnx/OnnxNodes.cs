using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>Builds ONNX nodes for graphs Gaze writes itself (the shapes network, fine-tuning heads).</summary>
internal static class OnnxNodes
{
    /// <summary>A node with one output and integer (<c>long</c>) or integer-list (<c>long[]</c>) attributes.</summary>
    public static NodeProto Create(string op, string name, IEnumerable<string> inputs, string output, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (attributeName, value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                long i => new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = i },
                long[] ints => new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } },
                _ => throw new ArgumentException($"attribute '{attributeName}' has an unsupported type {value.GetType().Name}", nameof(attributes)),
            });
        }
        return node;
    }
}
