using Gaze.Imaging;

namespace Gaze.Tests.Imaging;

/// <summary>Writes an uncompressed 24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes).</summary>
internal static class BmpWriter
{
    public static byte[] Write(RgbImage image)
    {
        int rowBytes = (image.Width * 3 + 3) / 4 * 4;
        int pixelBytes = rowBytes * image.Height;
        const int headerBytes = 14 + 40;
        var bmp = new byte[headerBytes + pixelBytes];
        using var writer = new BinaryWriter(new MemoryStream(bmp)); // little-endian, as BMP is
        // BITMAPFILEHEADER
        writer.Write((byte)'B');
        writer.Write((byte)'M');
        writer.Write(bmp.Length);
        writer.Write(0);              // reserved
        writer.Write(headerBytes);    // offset of the pixels
        // BITMAPINFOHEADER
        writer.Write(40);
        writer.Write(image.Width);
        writer.Write(image.Height);   // positive: the last row comes first
        writer.Write((short)1);       // planes
        writer.Write((short)24);      // bits per pixel
        writer.Write(0);              // BI_RGB
        writer.Write(pixelBytes);
        writer.Write(2835);           // 72 dpi
        writer.Write(2835);
        writer.Write(0);              // palette colours
        writer.Write(0);
        for (int y = image.Height - 1; y >= 0; y--)
        {
            for (int x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image[x, y];
                writer.Write(b);
                writer.Write(g);
                writer.Write(r);
            }
            for (int pad = image.Width * 3; pad < rowBytes; pad++) writer.Write((byte)0);
        }
        return bmp;
    }
}
