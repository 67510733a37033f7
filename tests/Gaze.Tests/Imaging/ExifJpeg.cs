namespace Gaze.Tests.Imaging;

/// <summary>Adds an EXIF orientation to a JPEG: an APP1 segment right after the start-of-image marker.</summary>
internal static class ExifJpeg
{
    public static byte[] WithOrientation(byte[] jpeg, int orientation)
    {
        if (jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new ArgumentException("not a JPEG");
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A,   // big-endian TIFF header
            0x00, 0x00, 0x00, 0x08,             // first IFD at offset 8
            0x00, 0x01,                         // one entry
            0x01, 0x12,                         // tag 0x0112 Orientation
            0x00, 0x03,                         // type SHORT
            0x00, 0x00, 0x00, 0x01,             // one value
            0x00, (byte)orientation, 0x00, 0x00, // the value, padded to 4 bytes
            0x00, 0x00, 0x00, 0x00,             // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = payload.Length + 2; // the length field counts itself
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }
}
