using Gaze.Imaging;

namespace Gaze.Tests.Imaging;

/// <summary>
/// Writes a GIF89a with a global palette, one image per frame, LZW-compressed. Images may use at most 256 colours.
/// A frame can mark one palette colour transparent (graphic control extension).
/// </summary>
internal sealed class GifWriter
{
    private readonly List<(byte R, byte G, byte B)> palette = [];
    private readonly List<(byte[] Indices, int? Transparent)> frames = [];
    private readonly int width, height;

    public GifWriter(int width, int height)
    {
        this.width = width;
        this.height = height;
    }

    /// <summary>Adds a frame; <paramref name="transparent"/> pixels of that colour become see-through.</summary>
    public GifWriter AddFrame(RgbImage image, (byte R, byte G, byte B)? transparent = null)
    {
        if (image.Width != width || image.Height != height) throw new ArgumentException("frames must fill the screen");
        var indices = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                indices[y * width + x] = IndexOf(image[x, y]);
        frames.Add((indices, transparent is { } colour ? IndexOf(colour) : null));
        return this;
    }

    public byte[] ToArray()
    {
        int tableBits = 1;
        while ((1 << tableBits) < palette.Count) tableBits++;
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        // Logical screen descriptor: global table present, 8-bit colour resolution, table size 2^tableBits.
        AddShort(gif, width);
        AddShort(gif, height);
        gif.Add((byte)(0x80 | 0x70 | (tableBits - 1)));
        gif.Add(0); // background colour index
        gif.Add(0); // pixel aspect ratio
        for (int i = 0; i < 1 << tableBits; i++)
        {
            var (r, g, b) = i < palette.Count ? palette[i] : ((byte)0, (byte)0, (byte)0);
            gif.AddRange([r, g, b]);
        }
        foreach (var (indices, transparent) in frames)
        {
            // Graphic control extension: disposal "leave in place", 0.1 s delay, optional transparent index.
            gif.AddRange([0x21, 0xF9, 4, (byte)(0x04 | (transparent.HasValue ? 1 : 0)), 10, 0, (byte)(transparent ?? 0), 0]);
            // Image descriptor: the whole screen, no local table, not interlaced.
            gif.Add(0x2C);
            AddShort(gif, 0);
            AddShort(gif, 0);
            AddShort(gif, width);
            AddShort(gif, height);
            gif.Add(0);
            int minimumCodeSize = Math.Max(2, tableBits);
            gif.Add((byte)minimumCodeSize);
            var compressed = Lzw(indices, minimumCodeSize);
            for (int start = 0; start < compressed.Count; start += 255)
            {
                int length = Math.Min(255, compressed.Count - start);
                gif.Add((byte)length);
                gif.AddRange(compressed.GetRange(start, length));
            }
            gif.Add(0); // end of image data
        }
        gif.Add(0x3B); // trailer
        return [.. gif];
    }

    /// <summary>
    /// GIF's LZW: codes of growing width (from minimumCodeSize + 1 to 12 bits), packed least significant bit first,
    /// starting with a clear code and ending with end-of-information.
    /// </summary>
    private static List<byte> Lzw(byte[] indices, int minimumCodeSize)
    {
        int clear = 1 << minimumCodeSize, end = clear + 1;
        var output = new List<byte>();
        int bitBuffer = 0, bitCount = 0, codeSize = minimumCodeSize + 1;
        void Emit(int code)
        {
            bitBuffer |= code << bitCount;
            bitCount += codeSize;
            while (bitCount >= 8)
            {
                output.Add((byte)bitBuffer);
                bitBuffer >>= 8;
                bitCount -= 8;
            }
        }

        var table = new Dictionary<int, int>();
        int next = end + 1;
        Emit(clear);
        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            int key = (prefix << 8) | indices[i];
            if (table.TryGetValue(key, out int code))
            {
                prefix = code;
                continue;
            }
            Emit(prefix);
            if (next < 4096)
            {
                table[key] = next;
                // The decoder adds this entry one code later, so widen when the entry just made needs another bit.
                if (next == 1 << codeSize && codeSize < 12) codeSize++;
                next++;
            }
            else
            {
                Emit(clear);
                table.Clear();
                next = end + 1;
                codeSize = minimumCodeSize + 1;
            }
            prefix = indices[i];
        }
        Emit(prefix);
        Emit(end);
        if (bitCount > 0) output.Add((byte)bitBuffer);
        return output;
    }

    private byte IndexOf((byte R, byte G, byte B) colour)
    {
        int index = palette.IndexOf(colour);
        if (index >= 0) return (byte)index;
        if (palette.Count == 256) throw new ArgumentException("more than 256 colours");
        palette.Add(colour);
        return (byte)(palette.Count - 1);
    }

    private static void AddShort(List<byte> bytes, int value)
    {
        bytes.Add((byte)value);
        bytes.Add((byte)(value >> 8));
    }
}
