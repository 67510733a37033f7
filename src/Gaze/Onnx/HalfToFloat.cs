using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>
/// Makes a model compute its half-precision (float16, bfloat16) values in float32, as Gaze's own graph does, so that
/// another engine running it gives Gaze's numbers rather than float16 roundings of them: half inputs, initializers
/// and tensor attributes become float32, and casts and dtypes that ask for half floats ask for float32.
/// </summary>
internal static class HalfToFloat
{
    /// <summary>Converts <paramref name="model"/> in place (subgraphs of control-flow nodes are left as they are).</summary>
    public static void Apply(ModelProto model)
    {
        var body = model.Graph;
        foreach (var value in body.Input.Concat(body.Output).Concat(body.ValueInfo))
        {
            if (value.Type?.TensorType is { } tensorType && IsHalf(tensorType.ElemType)) tensorType.ElemType = OnnxDataType.Float;
        }
        for (int i = 0; i < body.Initializer.Count; i++)
        {
            if (IsHalf(body.Initializer[i].DataType)) body.Initializer[i] = ToFloat(body.Initializer[i]);
        }
        foreach (var node in body.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                if (attribute.Name is "to" or "dtype" && attribute.Type == AttributeProto.Types.AttributeType.Int && IsHalf((int)attribute.I))
                    attribute.I = OnnxDataType.Float;
                if (attribute.T is { } t && IsHalf(t.DataType)) attribute.T = ToFloat(t);
            }
        }
    }

    private static bool IsHalf(int type) => type is OnnxDataType.Float16 or OnnxDataType.BFloat16;

    private static TensorProto ToFloat(TensorProto half)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var converted = TensorProtoConverter.FromTensor(TensorProtoConverter.ToTensor(half, half.Name), half.Name, OnnxDataType.Float);
        converted.DocString = half.DocString;
        return converted;
    }
}
