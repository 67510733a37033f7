namespace Gaze.Imaging;

/// <summary>Recognises the supported formats by their first bytes, to tell a damaged image from a non-image.</summary>
internal static class ImageSignature
{
    /// <summary>The format name when <paramref name="bytes"/> start like a supported image, else null.</summary>
    public static string? Recognise(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (bytes.StartsWith("GIF8"u8)) return "GIF";
        if (bytes.StartsWith("BM"u8)) return "BMP";
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        return null;
    }
}
