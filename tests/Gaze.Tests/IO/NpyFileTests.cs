using System.Text;
using Gaze.Errors;
using Gaze.IO;
using Gaze.Tests.Support;

namespace Gaze.Tests.IO;

public class NpyFileTests
{
    /// <summary>A .npy file made by hand from the format's description: magic, version, header length, header text, data.</summary>
    private static byte[] NpyBytes(string dict, byte[] data, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        string header = dict.PadRight(64 * ((prefix + dict.Length + 1 + 63) / 64) - prefix - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)major);
        bytes.Add(0);
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Header_is_written_as_numpy_writes_it()
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        NpyFile.Write(path, [1, 2, 3, 4, 5, 6], 2, 3);
        byte[] bytes = File.ReadAllBytes(path);

        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'], bytes[..6]);
        Assert.Equal([1, 0], bytes[6..8]); // format 1.0
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(118, headerLength);
        int dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64);

        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        Assert.Equal(dict + new string(' ', headerLength - dict.Length - 1) + "\n", header);

        Assert.Equal(dataStart + 6 * 4, bytes.Length);
        Assert.Equal(Floats(1, 2, 3, 4, 5, 6), bytes[dataStart..]);
    }

    [Theory]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 1, 3, 224, 224 }, "(1, 3, 224, 224)")]
    public void Shapes_are_written_as_python_tuples(int[] shape, string tuple)
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        NpyFile.Write(path, new float[shape.Aggregate(1, (a, b) => a * b)], shape);
        string header = Encoding.ASCII.GetString(File.ReadAllBytes(path), 10, 118);
        Assert.StartsWith($"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}", header);
    }

    [Fact]
    public void Long_shapes_keep_numpys_spare_header_space()
    {
        // numpy.save leaves room for a 21-digit first dimension, which pushes this header past 128 bytes.
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        int[] shape = Enumerable.Range(1, 15).ToArray();
        shape[^1] = 0;
        NpyFile.Write(path, [], shape);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(192, bytes.Length);
        Assert.Equal(182, BitConverter.ToUInt16(bytes, 8));
        Assert.Equal((byte)'\n', bytes[^1]);
    }

    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 3, 5 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    [InlineData(new int[0])]
    [InlineData(new[] { 4, 0 })]
    public void Round_trips_data_and_shape(int[] shape)
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        var random = new Random(shape.Length);
        float[] data = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();
        if (data.Length > 2) (data[0], data[1]) = (float.NaN, float.NegativeInfinity);

        NpyFile.Write(path, data, shape);
        var array = NpyFile.Read(path);

        Assert.Equal(shape, array.Shape);
        Assert.Equal(shape.Length, array.Rank);
        Assert.Equal(data.Select(BitConverter.SingleToInt32Bits), array.Data.Select(BitConverter.SingleToInt32Bits));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Reads_float64_float16_and_uint8_as_float()
    {
        using var directory = new TempDirectory();
        string doubles = directory.File("f8.npy");
        File.WriteAllBytes(doubles, NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
            new[] { 0.5, -2.25, 1e10 }.SelectMany(BitConverter.GetBytes).ToArray()));
        Assert.Equal([0.5f, -2.25f, 1e10f], NpyFile.Read(doubles).Data);

        string bytes = directory.File("u1.npy");
        File.WriteAllBytes(bytes, NpyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", [0, 1, 254, 255]));
        var array = NpyFile.Read(bytes);
        Assert.Equal([2, 2], array.Shape);
        Assert.Equal([0f, 1f, 254f, 255f], array.Data);

        string halves = directory.File("f2.npy");
        File.WriteAllBytes(halves, NpyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }",
            new[] { (Half)0.5, (Half)(-2.25), (Half)65504 }.SelectMany(h => BitConverter.GetBytes(h)).ToArray()));
        Assert.Equal([0.5f, -2.25f, 65504f], NpyFile.Read(halves).Data);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_format_versions_2_and_3(int major)
    {
        using var directory = new TempDirectory();
        string path = directory.File("v.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Floats(3, 4), major));
        Assert.Equal([3f, 4f], NpyFile.Read(path).Data);
    }

    [Fact]
    public void Accepts_any_key_order_and_spacing()
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        File.WriteAllBytes(path, NpyBytes("{ \"shape\" :(1 ,2) ,'fortran_order':False,'descr':'<f4'}", Floats(1, 2)));
        var array = NpyFile.Read(path);
        Assert.Equal([1, 2], array.Shape);
        Assert.Equal([1f, 2f], array.Data);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", "Fortran")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "'>f4'")]
    [InlineData("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", "'<i8'")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", "shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "header")]
    [InlineData("not a dict", "header")]
    public void Unsupported_or_malformed_headers_are_rejected_naming_the_file(string dict, string reason)
    {
        using var directory = new TempDirectory();
        string path = directory.File("bad.npy");
        File.WriteAllBytes(path, NpyBytes(dict, Floats(1, 2)));
        var error = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(reason, error.Problem);
    }

    [Fact]
    public void Truncated_data_is_rejected_naming_the_file()
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        NpyFile.Write(path, [1, 2, 3, 4, 5, 6], 2, 3);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        var error = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("truncated", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(50)]
    public void A_file_cut_inside_its_header_is_rejected(int length)
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        NpyFile.Write(path, [1, 2], 2);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..length]);
        Assert.Equal(path, Assert.Throws<DataFormatException>(() => NpyFile.Read(path)).FilePath);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_rejected()
    {
        using var directory = new TempDirectory();
        string path = directory.File("a.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", Floats(1, 2)));
        Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
    }

    [Fact]
    public void Other_files_are_not_npy()
    {
        using var directory = new TempDirectory();
        string path = directory.File("image.png");
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 0]);
        Assert.Contains("not a .npy file", Assert.Throws<DataFormatException>(() => NpyFile.Read(path)).Message);

        File.WriteAllBytes(path, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 0, 0, 0, 0, 0]);
        Assert.Contains("version 4.0", Assert.Throws<DataFormatException>(() => NpyFile.Read(path)).Message);
    }

    [Fact]
    public void Missing_file_is_reported_as_such()
    {
        using var directory = new TempDirectory();
        string path = directory.File("nothing.npy");
        Assert.Equal(path, Assert.Throws<InputFileNotFoundException>(() => NpyFile.Read(path)).FilePath);
    }

    [Fact]
    public void Shape_must_match_the_data()
    {
        using var directory = new TempDirectory();
        Assert.Throws<ArgumentException>(() => NpyFile.Write(directory.File("a.npy"), [1, 2, 3], 2, 2));
        Assert.Throws<ArgumentException>(() => NpyFile.Write(directory.File("a.npy"), [], -1));
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }
}
