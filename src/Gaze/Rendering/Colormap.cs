using Gaze.Errors;

namespace Gaze.Rendering;

/// <summary>
/// A colour scale for heatmaps: maps a value in [0, 1] to an RGB colour through a 256-entry lookup table.
/// </summary>
/// <remarks>
/// A value picks entry floor(v * 256), clamped to [0, 255], as matplotlib's colormaps do: each entry covers an
/// equal 1/256 of [0, 1], 0.5 picks entry 128 and 1 picks entry 255. Values below 0 get entry 0, above 1 entry 255,
/// and NaN entry 0. (cv2.applyColorMap on <c>uint8(255 * v)</c>, as pytorch-grad-cam feeds it, picks floor(255 v):
/// the same entry or the one below.)
/// </remarks>
public sealed class Colormap
{
    /// <summary>Number of entries in every lookup table.</summary>
    public const int Size = 256;

    private readonly byte[] table;

    private Colormap(string name, byte[] table)
    {
        Name = name;
        this.table = table;
    }

    /// <summary>OpenCV's <c>COLORMAP_JET</c>, entry for entry (dark blue, cyan, yellow, dark red).</summary>
    public static Colormap Jet { get; } = new("jet", OpenCvJet.BuildTable());

    /// <summary>Google's Turbo: a smoother, more perceptually even rainbow than jet.</summary>
    public static Colormap Turbo { get; } = new("turbo", ColormapTables.Decode(ColormapTables.Turbo));

    /// <summary>matplotlib's viridis (dark purple to yellow), perceptually uniform.</summary>
    public static Colormap Viridis { get; } = new("viridis", ColormapTables.Decode(ColormapTables.Viridis));

    /// <summary>matplotlib's inferno (black to pale yellow through red), perceptually uniform.</summary>
    public static Colormap Inferno { get; } = new("inferno", ColormapTables.Decode(ColormapTables.Inferno));

    /// <summary>matplotlib's magma (black to pale pink through purple), perceptually uniform.</summary>
    public static Colormap Magma { get; } = new("magma", ColormapTables.Decode(ColormapTables.Magma));

    /// <summary>Grey levels: entry i is (i, i, i).</summary>
    public static Colormap Gray { get; } = new("gray", GrayTable());

    /// <summary>Every named colormap, in the order help texts list them.</summary>
    public static IReadOnlyList<Colormap> All { get; } = [Jet, Turbo, Viridis, Inferno, Magma, Gray];

    /// <summary>The lower-case name users select it by, for example <c>jet</c>.</summary>
    public string Name { get; }

    /// <summary>Entry <paramref name="index"/> (0 to 255) of the lookup table.</summary>
    public (byte R, byte G, byte B) this[int index]
    {
        get
        {
            if ((uint)index >= Size) throw new ArgumentOutOfRangeException(nameof(index), $"colormap index must be 0..{Size - 1}, got {index}");
            int i = 3 * index;
            return (table[i], table[i + 1], table[i + 2]);
        }
    }

    /// <summary>The colour of <paramref name="value"/>, expected in [0, 1] (see the remarks on <see cref="Colormap"/>).</summary>
    public (byte R, byte G, byte B) Map(float value) => this[IndexOf(value)];

    /// <summary>The table entry that <paramref name="value"/> selects: floor(v * 256) clamped to [0, 255]; NaN selects 0.</summary>
    public static int IndexOf(float value)
    {
        if (float.IsNaN(value)) return 0;
        // Compare before scaling so that huge values cannot overflow the conversion to int.
        if (value <= 0f) return 0;
        if (value >= 1f) return Size - 1;
        return Math.Min((int)(value * Size), Size - 1);
    }

    /// <summary>
    /// The colormap called <paramref name="name"/> (case-insensitive).
    /// </summary>
    /// <exception cref="InvalidOptionException">No colormap has that name; the message lists the known ones.</exception>
    public static Colormap FromName(string name)
    {
        foreach (var colormap in All)
        {
            if (string.Equals(colormap.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) return colormap;
        }
        throw new InvalidOptionException("--colormap", $"unknown colormap '{name}'; known: {string.Join(", ", All.Select(c => c.Name))}");
    }

    /// <summary>Writes the colour of <paramref name="value"/> into <paramref name="rgb"/> (three bytes) without bounds juggling per call.</summary>
    internal void MapInto(float value, Span<byte> rgb) => table.AsSpan(3 * IndexOf(value), 3).CopyTo(rgb);

    /// <inheritdoc />
    public override string ToString() => Name;

    private static byte[] GrayTable()
    {
        var table = new byte[Size * 3];
        for (int i = 0; i < Size; i++) table[3 * i] = table[3 * i + 1] = table[3 * i + 2] = (byte)i;
        return table;
    }
}
