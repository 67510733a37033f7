using System.Globalization;
using System.Text;

namespace Gaze.IO;

/// <summary>
/// The header of a NumPy <c>.npy</c> file: the magic string, a format version, the header's length, then a
/// Python dict literal such as <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.
/// </summary>
internal static class NpyHeader
{
    /// <summary>"\x93NUMPY", the first six bytes of every .npy file.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>NumPy aligns the data to this many bytes from the file's start.</summary>
    private const int Alignment = 64;

    /// <summary>NumPy leaves room for this many digits in the first dimension, so files can grow in place.</summary>
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>
    /// Everything before the data of a little-endian float32 C-order array of <paramref name="shape"/>, byte for
    /// byte what NumPy's <c>np.save</c> writes: version 1.0 (2.0 only for headers over 65535 bytes), keys in sorted
    /// order, spare spaces after the dict, then spaces and a newline up to a multiple of 64 bytes.
    /// </summary>
    internal static byte[] Build(IReadOnlyList<int> shape)
    {
        var dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ");
        dict.Append(FormatTuple(shape)).Append(", }");
        if (shape.Count > 0) dict.Append(' ', GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);

        int textLength = dict.Length + 1; // the newline
        foreach (int major in new[] { 1, 2 })
        {
            int prefixLength = Magic.Length + 2 + (major == 1 ? 2 : 4);
            // NumPy always pads by 1 to 64 spaces, a full 64 when already aligned.
            int padding = Alignment - (prefixLength + textLength) % Alignment;
            int headerLength = textLength + padding;
            if (major == 1 && headerLength > ushort.MaxValue) continue;

            var bytes = new byte[prefixLength + headerLength];
            Magic.CopyTo(bytes);
            bytes[6] = (byte)major;
            bytes[7] = 0;
            if (major == 1) BitConverter.TryWriteBytes(bytes.AsSpan(8, 2), (ushort)headerLength);
            else BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), (uint)headerLength);
            if (!BitConverter.IsLittleEndian) bytes.AsSpan(8, prefixLength - 8).Reverse();
            Encoding.ASCII.GetBytes(dict.ToString(), bytes.AsSpan(prefixLength));
            bytes.AsSpan(prefixLength + dict.Length, padding).Fill((byte)' ');
            bytes[^1] = (byte)'\n';
            return bytes;
        }
        throw new ArgumentException("shape too long for a .npy header", nameof(shape));
    }

    /// <summary>A shape as Python writes a tuple: <c>()</c>, <c>(5,)</c>, <c>(2, 3)</c>.</summary>
    internal static string FormatTuple(IReadOnlyList<int> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    /// <summary>The three fields of a header dict.</summary>
    /// <exception cref="FormatException">The text is not a header dict Gaze understands; the message says why, briefly.</exception>
    internal static (string Descr, bool FortranOrder, int[] Shape) Parse(string text)
    {
        var fields = new DictParser(text).ParseDict();
        if (!fields.TryGetValue("descr", out var descr)) throw new FormatException("header has no 'descr'");
        if (!fields.TryGetValue("fortran_order", out var fortran)) throw new FormatException("header has no 'fortran_order'");
        if (!fields.TryGetValue("shape", out var shape)) throw new FormatException("header has no 'shape'");
        if (descr is not string descrText) throw new FormatException("structured dtypes are not supported");
        if (fortran is not bool fortranOrder) throw new FormatException("'fortran_order' is not True or False");
        if (shape is not long[] dimensions) throw new FormatException("'shape' is not a tuple of integers");
        if (dimensions.Any(d => d > int.MaxValue)) throw new FormatException("a dimension in 'shape' is too large");
        return (descrText, fortranOrder, dimensions.Select(d => (int)d).ToArray());
    }

    /// <summary>
    /// Reads the small part of Python literal syntax that .npy headers use: a dict with string keys whose values
    /// are strings, True/False, or tuples of non-negative integers. Anything else (a list, as structured dtypes
    /// have) is returned as <see cref="Unsupported"/>.
    /// </summary>
    private sealed class DictParser(string text)
    {
        internal static readonly object Unsupported = new();
        private int position;

        internal Dictionary<string, object> ParseDict()
        {
            var fields = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (TryConsume('}')) break;
                string key = ReadString();
                Expect(':');
                fields[key] = ReadValue();
                SkipSpace();
                if (TryConsume(',')) continue;
                Expect('}');
                break;
            }
            SkipSpace();
            if (position != text.Length) throw new FormatException("unexpected text after the header dict");
            return fields;
        }

        private object ReadValue()
        {
            SkipSpace();
            char next = Peek();
            if (next is '\'' or '"') return ReadString();
            if (next == '(') return ReadIntegerTuple();
            if (next == '[' || next == '{') { SkipBalanced(); return Unsupported; }
            if (TryConsumeWord("True")) return true;
            if (TryConsumeWord("False")) return false;
            throw new FormatException($"unexpected '{next}' in the header");
        }

        private long[] ReadIntegerTuple()
        {
            Expect('(');
            var values = new List<long>();
            while (true)
            {
                SkipSpace();
                if (TryConsume(')')) break;
                values.Add(ReadInteger());
                SkipSpace();
                if (TryConsume(',')) continue;
                Expect(')');
                break;
            }
            return values.ToArray();
        }

        private long ReadInteger()
        {
            int start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            if (position == start) throw new FormatException("'shape' is not a tuple of non-negative integers");
            if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                throw new FormatException("a dimension in 'shape' is too large");
            if (position < text.Length && text[position] is 'L' or 'l') position++; // Python 2 long suffix
            return value;
        }

        private string ReadString()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw new FormatException("expected a quoted key or value in the header");
            position++;
            int end = text.IndexOf(quote, position);
            if (end < 0) throw new FormatException("unterminated string in the header");
            string value = text[position..end];
            position = end + 1;
            return value;
        }

        private void SkipBalanced()
        {
            int depth = 0;
            do
            {
                char c = Peek();
                if (c is '[' or '{' or '(') depth++;
                else if (c is ']' or '}' or ')') depth--;
                else if (c is '\'' or '"') { ReadString(); continue; }
                position++;
            } while (depth > 0);
        }

        private char Peek() => position < text.Length ? text[position] : throw new FormatException("the header ends early");

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        }

        private bool TryConsume(char c)
        {
            if (position < text.Length && text[position] == c) { position++; return true; }
            return false;
        }

        private bool TryConsumeWord(string word)
        {
            if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0) return false;
            position += word.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (!TryConsume(c)) throw new FormatException(position < text.Length ? $"expected '{c}' but found '{text[position]}' in the header" : $"expected '{c}' but the header ends");
        }
    }
}
