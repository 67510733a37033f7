using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Gaze.Errors;

namespace Gaze.IO;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> arrays, so that heatmaps and attributions can be loaded with
/// <c>numpy.load</c> and arrays from Python can be fed to Gaze.
/// </summary>
/// <remarks>
/// Writes little-endian float32 (<c>&lt;f4</c>) in C order, format 1.0, with the same header bytes as
/// <c>numpy.save</c> (data aligned to 64 bytes). Reads formats 1.0, 2.0 and 3.0 in C order with dtype
/// <c>&lt;f4</c>, <c>&lt;f8</c>, <c>&lt;f2</c> or <c>|u1</c> (converted to float).
/// </remarks>
public static class NpyFile
{
    /// <summary>Writes <paramref name="data"/> as an array of <paramref name="shape"/> (for example height, width), atomically.</summary>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> values.</exception>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void Write(string path, float[] data, params int[] shape) => Write(path, new NpyArray(data, shape));

    /// <summary>Writes <paramref name="array"/>, atomically.</summary>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        byte[] header = NpyHeader.Build(array.Shape);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            WriteLittleEndian(stream, array.Data);
        });
    }

    /// <summary>Reads a .npy array as floats.</summary>
    /// <exception cref="InputFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">It is not a .npy file Gaze can read: bad signature, unsupported version,
    /// dtype or order, malformed header, or truncated data.</exception>
    public static NpyArray Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new InputFileNotFoundException(path);
        if (SuppliedFile.Problem(path, Engine.ResourceLimits.DefaultMaxFileBytes, "a .npy file") is { } problem)
            throw new DataFormatException(path, problem);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "cannot read: " + e.Message.ReplaceLineEndings(" "), e);
        }
        return Parse(path, bytes);
    }

    private static NpyArray Parse(string path, byte[] bytes)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(NpyHeader.Magic))
            throw new DataFormatException(path, "not a .npy file (it does not start with \\x93NUMPY)");

        int major = bytes[6], minor = bytes[7];
        int lengthSize = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new DataFormatException(path, $"unsupported .npy format version {major}.{minor}"),
        };
        if (minor != 0) throw new DataFormatException(path, $"unsupported .npy format version {major}.{minor}");
        int headerStart = 8 + lengthSize;
        if (bytes.Length < headerStart) throw new DataFormatException(path, "truncated .npy header");
        long headerLength = lengthSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (headerStart + headerLength > bytes.Length)
            throw new DataFormatException(path, $"truncated .npy header: it claims {headerLength} bytes, the file has {bytes.Length - headerStart}");

        // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
        var span = bytes.AsSpan(headerStart, (int)headerLength);
        string text = major == 3 ? Encoding.UTF8.GetString(span) : Encoding.Latin1.GetString(span);

        string descr;
        bool fortranOrder;
        int[] shape;
        try
        {
            (descr, fortranOrder, shape) = NpyHeader.Parse(text);
        }
        catch (FormatException e)
        {
            throw new DataFormatException(path, "malformed .npy header: " + e.Message, e);
        }
        if (fortranOrder) throw new DataFormatException(path, "Fortran-ordered arrays are not supported; save a C-ordered array (numpy.ascontiguousarray)");

        int itemSize = descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            "<f2" => 2,
            "|u1" => 1,
            _ => throw new DataFormatException(path, $"unsupported dtype '{descr}'; Gaze reads '<f4', '<f8', '<f2' and '|u1'"),
        };

        long count;
        try
        {
            count = NpyArray.ElementCount(shape);
            _ = checked(count * itemSize);
        }
        catch (OverflowException e)
        {
            throw new DataFormatException(path, $"shape {NpyHeader.FormatTuple(shape)} is too large", e);
        }
        if (count > Array.MaxLength) throw new DataFormatException(path, $"shape {NpyHeader.FormatTuple(shape)} is too large");

        long dataStart = headerStart + headerLength;
        long expected = count * itemSize, actual = bytes.Length - dataStart;
        if (actual < expected)
            throw new DataFormatException(path, $"truncated: shape {NpyHeader.FormatTuple(shape)} of {descr} needs {expected} bytes of data, the file has {actual}");
        if (actual > expected)
            throw new DataFormatException(path, $"{actual - expected} unexpected bytes after the data of shape {NpyHeader.FormatTuple(shape)}");

        var data = new float[count];
        var source = bytes.AsSpan((int)dataStart);
        switch (itemSize)
        {
            case 4:
                for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                break;
            case 8:
                for (int i = 0; i < data.Length; i++) data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                break;
            case 2:
                for (int i = 0; i < data.Length; i++) data[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                break;
            default:
                for (int i = 0; i < data.Length; i++) data[i] = source[i];
                break;
        }
        return new NpyArray(data, shape);
    }

    private static void WriteLittleEndian(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        var buffer = new byte[4];
        foreach (float value in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }
}
