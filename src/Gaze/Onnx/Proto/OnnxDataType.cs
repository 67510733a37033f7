using TorchSharp;

namespace Gaze.Onnx.Proto;

/// <summary>
/// ONNX element types (TensorProto.DataType numbers) and the TorchSharp types Gaze computes them in.
/// Half-precision floats (float16, bfloat16) compute in float32: Gaze runs float16 models in float32.
/// </summary>
internal static class OnnxDataType
{
    public const int Float = 1;
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int UInt16 = 4;
    public const int Int16 = 5;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
    public const int Float16 = 10;
    public const int Double = 11;
    public const int UInt32 = 12;
    public const int UInt64 = 13;
    public const int BFloat16 = 16;

    /// <summary>The type Gaze computes an ONNX element type in, or null when Gaze has none for it.</summary>
    public static torch.ScalarType? ComputeType(int onnxType) => onnxType switch
    {
        Float or Float16 or BFloat16 => torch.ScalarType.Float32,
        Double => torch.ScalarType.Float64,
        UInt8 => torch.ScalarType.Byte,
        Int8 => torch.ScalarType.Int8,
        Int16 => torch.ScalarType.Int16,
        UInt16 or Int32 => torch.ScalarType.Int32,
        UInt32 or UInt64 or Int64 => torch.ScalarType.Int64,
        Bool => torch.ScalarType.Bool,
        _ => null,
    };

    /// <summary>The ONNX element type that stores a tensor of <paramref name="type"/> without loss.</summary>
    public static int FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => Float,
        torch.ScalarType.Float64 => Double,
        torch.ScalarType.Float16 => Float16,
        torch.ScalarType.BFloat16 => BFloat16,
        torch.ScalarType.Byte => UInt8,
        torch.ScalarType.Int8 => Int8,
        torch.ScalarType.Int16 => Int16,
        torch.ScalarType.Int32 => Int32,
        torch.ScalarType.Int64 => Int64,
        torch.ScalarType.Bool => Bool,
        _ => throw new NotSupportedException($"no ONNX element type for {type}"),
    };

    /// <summary>The type a tensor is stored in (for raw bytes), which for half floats is not the compute type.</summary>
    public static torch.ScalarType? StorageType(int onnxType) => onnxType switch
    {
        Float16 => torch.ScalarType.Float16,
        BFloat16 => torch.ScalarType.BFloat16,
        UInt16 => torch.ScalarType.Int16, // reinterpreted bit pattern, widened below
        UInt32 => torch.ScalarType.Int32,
        UInt64 => torch.ScalarType.Int64,
        _ => ComputeType(onnxType),
    };

    /// <summary>True for float, float16, bfloat16 and double.</summary>
    public static bool IsFloatingPoint(int onnxType) => onnxType is Float or Float16 or BFloat16 or Double;

    /// <summary>A short readable name ("float16") for messages.</summary>
    public static string Name(int onnxType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), onnxType)
            ? ((TensorProto.Types.DataType)onnxType).ToString().ToLowerInvariant()
            : $"type {onnxType}";
}
