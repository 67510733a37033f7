using System.Text;

namespace Gaze.Tests.Hostile;

/// <summary>
/// A baseline JPEG with four components (CMYK, with Adobe's APP14 marker), which no encoder at hand writes: one
/// 8x8 block per component, each of one flat value, so that only the DC coefficients need coding.
/// </summary>
internal static class CmykJpeg
{
    // The standard luminance DC table (JPEG Annex K.3): code lengths per category 0 to 11.
    private static readonly byte[] DcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly string[] DcCodes =
        ["00", "010", "011", "100", "101", "110", "1110", "11110", "111110", "1111110", "11111110", "111111110"];

    /// <summary>An 8x8 image whose C, M, Y and K samples are the given flat values.</summary>
    public static byte[] Flat(byte c, byte m, byte y, byte k)
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        // Adobe APP14: version 100, no flags, transform 0 (CMYK stored as is).
        Segment(jpeg, 0xEE, [.. Encoding.ASCII.GetBytes("Adobe"), 0, 100, 0, 0, 0, 0, 0]);
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        // Frame: 8 bits, 8x8, four components with 1x1 sampling and quantisation table 0.
        Segment(jpeg, 0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        Segment(jpeg, 0xC4, [0x00, .. DcCounts, .. Enumerable.Range(0, 12).Select(i => (byte)i)]);
        // An AC table of the one symbol needed, end-of-block, coded as "0".
        Segment(jpeg, 0xC4, [0x10, 1, .. new byte[15], 0x00]);
        Segment(jpeg, 0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);

        var bits = new StringBuilder();
        foreach (byte value in new[] { c, m, y, k })
        {
            // The DC coefficient of a flat block is 8 (value - 128) with quantiser 1; the first block predicts from 0.
            int dc = 8 * (value - 128);
            int category = dc == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(dc));
            bits.Append(DcCodes[category]);
            if (category > 0) bits.Append(Convert.ToString(dc > 0 ? dc : dc + (1 << category) - 1, 2).PadLeft(category, '0'));
            bits.Append('0');
        }
        while (bits.Length % 8 != 0) bits.Append('1');
        for (int i = 0; i < bits.Length; i += 8)
        {
            byte b = Convert.ToByte(bits.ToString(i, 8), 2);
            jpeg.Add(b);
            if (b == 0xFF) jpeg.Add(0); // byte stuffing
        }
        jpeg.AddRange([0xFF, 0xD9]);
        return [.. jpeg];
    }

    private static void Segment(List<byte> jpeg, byte marker, byte[] payload)
    {
        int length = payload.Length + 2;
        jpeg.AddRange([0xFF, marker, (byte)(length >> 8), (byte)length]);
        jpeg.AddRange(payload);
    }
}
