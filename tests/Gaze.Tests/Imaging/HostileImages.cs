using System.Buffers.Binary;
using Gaze.Imaging;
using SkiaSharp;

namespace Gaze.Tests.Imaging;

/// <summary>
/// Decompression bombs: tiny valid-looking files whose headers declare huge images, made by encoding a 1x1 image and
/// patching the size fields (and the PNG chunk checksum), so no big file is ever stored.
/// </summary>
internal static class HostileImages
{
    /// <summary>A PNG whose IHDR declares <paramref name="side"/> x <paramref name="side"/>.</summary>
    public static byte[] Png(int side)
    {
        byte[] png = SkiaEncoding.Encode(OnePixel, SKEncodedImageFormat.Png);
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ..., CRC over type and data (17 bytes).
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), side);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), side);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>A baseline JPEG whose SOF0 frame header declares <paramref name="side"/> x <paramref name="side"/>.</summary>
    public static byte[] Jpeg(int side)
    {
        byte[] jpeg = SkiaEncoding.Encode(OnePixel, SKEncodedImageFormat.Jpeg);
        int sof = FindMarker(jpeg, 0xC0);
        // Marker (2), length (2), precision (1), height (2), width (2).
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)side);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)side);
        return jpeg;
    }

    /// <summary>A GIF whose logical screen and first image declare <paramref name="side"/> x <paramref name="side"/>.</summary>
    public static byte[] Gif(int side)
    {
        byte[] gif = new GifWriter(1, 1).AddFrame(OnePixel).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), (ushort)side);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), (ushort)side);
        int tableBytes = 3 << ((gif[10] & 7) + 1);
        int descriptor = Array.IndexOf(gif, (byte)0x2C, 13 + tableBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(descriptor + 5), (ushort)side);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(descriptor + 7), (ushort)side);
        return gif;
    }

    /// <summary>A BMP whose info header declares <paramref name="side"/> x <paramref name="side"/>.</summary>
    public static byte[] Bmp(int side)
    {
        byte[] bmp = BmpWriter.Write(OnePixel);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), side);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), side);
        return bmp;
    }

    /// <summary>A lossless WebP whose VP8L header declares <paramref name="side"/> x <paramref name="side"/> (at most 16384).</summary>
    public static byte[] WebP(int side)
    {
        byte[] webp = SkiaEncoding.Encode(OnePixel, SKEncodedImageFormat.Webp, quality: 100);
        int chunk = webp.AsSpan().IndexOf("VP8L"u8);
        if (chunk < 0) throw new InvalidOperationException("SkiaSharp wrote lossy WebP; expected VP8L");
        // Chunk tag (4), size (4), signature 0x2F (1), then 14 bits width - 1, 14 bits height - 1, alpha, version.
        int at = chunk + 9;
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(at));
        bits = (bits & 0xF000_0000u) | (uint)(side - 1) | ((uint)(side - 1) << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(at), bits);
        return webp;
    }

    private static RgbImage OnePixel => TestPictures.Solid(1, 1, TestPictures.Red);

    private static int FindMarker(byte[] jpeg, byte marker)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
        }
        throw new InvalidOperationException($"no FF{marker:X2} marker");
    }

    /// <summary>PNG's chunk checksum (CRC-32 over the chunk type and data).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320u : crc >> 1;
        }
        return ~crc;
    }
}
