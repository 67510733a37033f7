using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>A tensor the caller gives to a graph: its name, declared element type and declared shape.</summary>
public sealed class GraphInput
{
    internal GraphInput(string name, int elementType, IReadOnlyList<long?>? shape, int slot)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Slot = slot;
    }

    /// <summary>The input's tensor name.</summary>
    public string Name { get; }

    /// <summary>ONNX element type number (1 float, 10 float16, 7 int64, ...).</summary>
    internal int ElementType { get; }

    /// <summary>The declared element type's name, e.g. "float" or "float16" (float16 inputs take float32 tensors).</summary>
    public string ElementTypeName => OnnxDataType.Name(ElementType);

    /// <summary>Declared dimensions (null entries are symbolic, such as a dynamic batch), or null if undeclared.</summary>
    public IReadOnlyList<long?>? Shape { get; }

    /// <summary>The declared rank, or null if undeclared.</summary>
    public int? Rank => Shape?.Count;

    internal int Slot { get; }

    /// <summary>
    /// A concrete shape for this input: <paramref name="batch"/> first, declared dimensions where fixed, and for 4-D
    /// image inputs the requested <paramref name="size"/> (else the declared size, else 224x224); other symbolic
    /// dimensions become 1.
    /// </summary>
    public long[] ConcreteShape(int batch, (int Height, int Width)? size = null)
    {
        var declared = Shape ?? [null, 3, null, null];
        var shape = new long[declared.Count];
        for (int d = 0; d < shape.Length; d++)
        {
            shape[d] = d == 0 ? batch : declared[d] ?? 1;
            if (shape.Length == 4 && d >= 2)
                shape[d] = size is { } s ? (d == 2 ? s.Height : s.Width) : declared[d] ?? 224;
        }
        return shape;
    }

    /// <summary>The shape as text, e.g. "[N,3,224,224]" with "N" for a symbolic dimension.</summary>
    public string ShapeText => Shape is null ? "[?]" : "[" + string.Join(",", Shape.Select((d, i) => d?.ToString() ?? (i == 0 ? "N" : "?"))) + "]";
}
