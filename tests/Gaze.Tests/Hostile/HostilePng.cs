using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Gaze.Tests.Imaging;

namespace Gaze.Tests.Hostile;

/// <summary>
/// PNG files written chunk by chunk, for what an encoder will not make: palettes with transparency, 16-bit gray,
/// extra chunks (metadata bombs, lying lengths) and broken checksums.
/// </summary>
internal static class HostilePng
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>An 8-bit RGB image with a smooth pattern, and <paramref name="extraChunks"/> before its data.</summary>
    public static byte[] Rgb(int width, int height, params byte[][] extraChunks) =>
        Write(width, height, bitDepth: 8, colourType: 2, samplesPerPixel: 3, extraChunks);

    /// <summary>An 8-bit RGB image of one colour: large in pixels, small on disk.</summary>
    public static byte[] Flat(int width, int height) =>
        Write(width, height, bitDepth: 8, colourType: 2, samplesPerPixel: 3, [], sample: (_, _, s) => (byte)(60 + 70 * s));

    /// <summary>A gray image of <paramref name="bitDepth"/> 8 or 16.</summary>
    public static byte[] Gray(int width, int height, int bitDepth) =>
        Write(width, height, bitDepth, colourType: 0, samplesPerPixel: 1, []);

    /// <summary>An 8-bit palette image of four colours, the first see-through and the second half so (tRNS).</summary>
    public static byte[] PaletteWithTransparency(int width, int height)
    {
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 20, 20, 20];
        return Write(width, height, bitDepth: 8, colourType: 3, samplesPerPixel: 1,
            [Chunk("PLTE", palette), Chunk("tRNS", [0, 128])], sample: (x, y, _) => (byte)((x + y) % 4));
    }

    /// <summary>A chunk with its length and checksum.</summary>
    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), HostileImages.Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary><paramref name="data"/> deflated in the zlib format, as PNG's IDAT, iCCP and zTXt hold it.</summary>
    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.SmallestSize)) zlib.Write(data);
        return buffer.ToArray();
    }

    private static byte[] Write(int width, int height, int bitDepth, int colourType, int samplesPerPixel, byte[][] extraChunks,
        Func<int, int, int, byte>? sample = null)
    {
        sample ??= (x, y, s) => (byte)(x * 37 + y * 11 + s * 50);
        int bytesPerSample = bitDepth / 8;
        int rowBytes = 1 + width * samplesPerPixel * bytesPerSample;
        var raw = new byte[height * rowBytes];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
                for (int s = 0; s < samplesPerPixel; s++)
                    for (int b = 0; b < bytesPerSample; b++)
                        raw[y * rowBytes + 1 + ((x * samplesPerPixel + s) * bytesPerSample) + b] = sample(x, y, s);
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        return [.. Signature, .. Chunk("IHDR", header), .. extraChunks.SelectMany(c => c), .. Chunk("IDAT", Deflate(raw)), .. Chunk("IEND", [])];
    }
}
