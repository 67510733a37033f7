using System.Runtime.InteropServices;
using Gaze.Errors;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Proto;

/// <summary>
/// Converts between ONNX TensorProto (typed fields, raw_data or external data files) and TorchSharp tensors.
/// Every tensor becomes its compute type (<see cref="OnnxDataType.ComputeType"/>): float16 and bfloat16 become float32.
/// </summary>
internal static class TensorProtoConverter
{
    /// <summary>Reads <paramref name="proto"/> into a new CPU tensor of its compute type.</summary>
    /// <param name="proto">The tensor.</param>
    /// <param name="modelPath">The model file, for messages and to resolve external data relative to its folder.</param>
    public static Tensor ToTensor(TensorProto proto, string modelPath)
    {
        int type = proto.DataType;
        var storage = OnnxDataType.StorageType(type)
            ?? throw new ModelFormatException(modelPath, $"tensor '{proto.Name}' has element type {OnnxDataType.Name(type)}, which Gaze does not support");
        long[] dims = proto.Dims.ToArray();
        if (dims.Any(d => d < 0)) throw new ModelFormatException(modelPath, $"tensor '{proto.Name}' has a negative dimension");
        long elementSize = ElementSize(storage);
        // A hostile shape such as [2^32, 2^32] must not wrap around to a small count that matches no data.
        long count = 1;
        foreach (long d in dims)
        {
            if (d != 0 && count > long.MaxValue / elementSize / d)
                throw new ModelFormatException(modelPath, $"tensor '{proto.Name}' has shape [{string.Join(",", dims)}], more values than any file can hold");
            count *= d;
        }

        byte[] bytes = proto.DataLocation == TensorProto.Types.DataLocation.External
            ? ReadExternal(proto, modelPath)
            : proto.RawData.Length > 0 || !HasTypedData(proto) ? proto.RawData.ToByteArray() : TypedDataBytes(proto, type);
        if (bytes.LongLength != count * elementSize)
        {
            throw new ModelFormatException(modelPath,
                $"tensor '{proto.Name}' holds {bytes.LongLength / Math.Max(1, elementSize)} values but its shape [{string.Join(",", dims)}] needs {count} (truncated or invalid model)");
        }

        using var stored = torch.empty(dims, storage);
        if (bytes.Length > 0) stored.bytes = bytes;
        return type switch
        {
            OnnxDataType.UInt16 => stored.to(ScalarType.Int32).bitwise_and(0xFFFF),
            OnnxDataType.UInt32 => stored.to(ScalarType.Int64).bitwise_and(0xFFFFFFFFL),
            _ => stored.to(OnnxDataType.ComputeType(type)!.Value, copy: true),
        };
    }

    /// <summary>Writes <paramref name="tensor"/> as a TensorProto named <paramref name="name"/> with element type <paramref name="onnxType"/> (raw_data).</summary>
    public static TensorProto FromTensor(Tensor tensor, string name, int onnxType)
    {
        var storage = OnnxDataType.StorageType(onnxType) ?? throw new NotSupportedException($"cannot write element type {onnxType}");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var stored = tensor.detach().to(storage).contiguous().cpu();
        var proto = new TensorProto { Name = name, DataType = onnxType, RawData = ByteString.CopyFrom(stored.bytes) };
        proto.Dims.AddRange(stored.shape);
        return proto;
    }

    private static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        _ => 8,
    };

    private static bool HasTypedData(TensorProto p) =>
        p.FloatData.Count > 0 || p.Int32Data.Count > 0 || p.Int64Data.Count > 0 || p.DoubleData.Count > 0 || p.Uint64Data.Count > 0;

    /// <summary>The typed repeated fields, laid out as the little-endian bytes of the storage type.</summary>
    private static byte[] TypedDataBytes(TensorProto p, int type)
    {
        switch (type)
        {
            case OnnxDataType.Float:
                return MemoryMarshal.AsBytes(p.FloatData.ToArray().AsSpan()).ToArray();
            case OnnxDataType.Double:
                return MemoryMarshal.AsBytes(p.DoubleData.ToArray().AsSpan()).ToArray();
            case OnnxDataType.Int64:
                return MemoryMarshal.AsBytes(p.Int64Data.ToArray().AsSpan()).ToArray();
            case OnnxDataType.UInt64:
                return MemoryMarshal.AsBytes(p.Uint64Data.ToArray().AsSpan()).ToArray();
            case OnnxDataType.UInt32:
                return MemoryMarshal.AsBytes(p.Uint64Data.Select(v => (uint)v).ToArray().AsSpan()).ToArray();
            case OnnxDataType.Int32:
                return MemoryMarshal.AsBytes(p.Int32Data.ToArray().AsSpan()).ToArray();
            case OnnxDataType.Int16 or OnnxDataType.UInt16 or OnnxDataType.Float16 or OnnxDataType.BFloat16:
                // 16-bit types (including the bit patterns of half floats) sit in the low half of int32_data.
                return MemoryMarshal.AsBytes(p.Int32Data.Select(v => (ushort)v).ToArray().AsSpan()).ToArray();
            case OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Bool:
                return p.Int32Data.Select(v => (byte)v).ToArray();
            default:
                return [];
        }
    }

    private static long ExternalNumber(StringStringEntryProto entry, TensorProto p, string modelPath) =>
        long.TryParse(entry.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new ModelFormatException(modelPath, $"external data {entry.Key} '{entry.Value}' of tensor '{p.Name}' is not a whole number of bytes");

    private static byte[] ReadExternal(TensorProto p, string modelPath)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (var entry in p.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ExternalNumber(entry, p, modelPath); break;
                case "length": length = ExternalNumber(entry, p, modelPath); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new ModelFormatException(modelPath, $"tensor '{p.Name}' is stored externally but names no file");
        string file = IO.ContainedPath.TryResolve(modelPath, location, out string? problem)
            ?? throw new ModelFormatException(modelPath, $"external data file '{location}' of tensor '{p.Name}' {problem}");
        if (IO.FileKind.NonRegular(file) is { } kind)
            throw new ModelFormatException(modelPath, $"external data file '{location}' of tensor '{p.Name}' is {kind}, not a data file");
        if (!File.Exists(file))
            throw new ModelFormatException(modelPath, $"external data file '{location}' of tensor '{p.Name}' not found (looked for {file})");
        using var stream = File.OpenRead(file);
        if (length < 0) length = stream.Length - offset;
        // Compared without adding, so that a huge offset or length cannot overflow past the check.
        if (offset < 0 || length < 0 || offset > stream.Length || length > stream.Length - offset)
            throw new ModelFormatException(modelPath, $"external data file '{location}' is too short for tensor '{p.Name}' (truncated?)");
        var bytes = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }
}
