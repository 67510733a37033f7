using Gaze.Onnx.Proto;
using Google.Protobuf;

namespace Gaze.Tests.Onnx;

/// <summary>Builds small ONNX models in code (with Gaze's protobuf classes) for tests.</summary>
internal sealed class TestModelBuilder
{
    private readonly ModelProto model;

    public TestModelBuilder(int opset = 13)
    {
        model = new ModelProto
        {
            IrVersion = opset >= 13 ? 7 : 4,
            ProducerName = "gaze-tests",
            Graph = new GraphProto { Name = "test" },
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public ModelProto Model => model;

    public GraphProto Graph => model.Graph;

    /// <summary>Declares a graph input; null dimensions are symbolic.</summary>
    public TestModelBuilder Input(string name, params long?[] dims) => TypedInput(name, 1, dims);

    public TestModelBuilder TypedInput(string name, int elementType, params long?[] dims)
    {
        model.Graph.Input.Add(Value(name, elementType, dims));
        return this;
    }

    public TestModelBuilder Output(string name, int elementType = 1)
    {
        model.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType } } });
        return this;
    }

    public TestModelBuilder Initializer(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        model.Graph.Initializer.Add(t);
        return this;
    }

    public TestModelBuilder Initializer(string name, long[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        model.Graph.Initializer.Add(t);
        return this;
    }

    public TestModelBuilder Initializer(TensorProto tensor)
    {
        model.Graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds a node; attributes are (name, value) with value an int, long, float, string, long[] or float[].</summary>
    public TestModelBuilder Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes) =>
        NamedNode(op, "", inputs, outputs, attributes);

    public TestModelBuilder NamedNode(string op, string name, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (attributeName, value) in attributes) node.Attribute.Add(Attribute(attributeName, value));
        model.Graph.Node.Add(node);
        return this;
    }

    public static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            case TensorProto t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = t; break;
            default: throw new ArgumentException($"attribute type {value.GetType()}");
        }
        return a;
    }

    public string Save(string path)
    {
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static ValueInfoProto Value(string name, int elementType, long?[] dims)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < dims.Length; i++)
        {
            shape.Dim.Add(dims[i] is long d
                ? new TensorShapeProto.Types.Dimension { DimValue = d }
                : new TensorShapeProto.Types.Dimension { DimParam = $"d{i}" });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }
}
