using Gaze.Errors;
using Gaze.Rendering;

namespace Gaze.Tests.Rendering;

public class ColormapTests
{
    // OpenCV's COLORMAP_JET (cv2.applyColorMap) at these table indices, as RGB.
    [Theory]
    [InlineData(0, 0, 0, 128)]
    [InlineData(32, 0, 0, 255)]
    [InlineData(64, 0, 128, 255)]
    [InlineData(96, 2, 255, 254)]
    [InlineData(128, 130, 255, 126)]
    [InlineData(160, 255, 252, 0)]
    [InlineData(192, 255, 124, 0)]
    [InlineData(224, 252, 0, 0)]
    [InlineData(255, 128, 0, 0)]
    public void Jet_matches_OpenCV_exactly(int index, int r, int g, int b)
    {
        Assert.Equal(((byte)r, (byte)g, (byte)b), Colormap.Jet[index]);
        // The value in the middle of the entry's 1/256 bin selects it.
        Assert.Equal(((byte)r, (byte)g, (byte)b), Colormap.Jet.Map((index + 0.5f) / 256));
    }

    [Fact]
    public void Jet_has_OpenCVs_half_way_roundings()
    {
        // Entries where 255 * jet lands on x.5: float arithmetic in OpenCV sends 1.5 up for red at 96 but down for
        // blue at 159 (an interpolated 0.0058823...), and 0.5 down to 0 for green at 32 and 223.
        Assert.Equal(2, Colormap.Jet[96].R);
        Assert.Equal(1, Colormap.Jet[159].B);
        Assert.Equal(0, Colormap.Jet[32].G);
        Assert.Equal(0, Colormap.Jet[223].G);
        Assert.Equal(4, Colormap.Jet[33].G);
    }

    // matplotlib 3.6 colormaps at 0, 0.25, 0.5, 0.75 and 1 (round(255 * c) of cmap(v)).
    [Theory]
    [InlineData("viridis", 0.0f, 68, 1, 84)]
    [InlineData("viridis", 0.25f, 59, 82, 139)]
    [InlineData("viridis", 0.5f, 33, 145, 140)]
    [InlineData("viridis", 0.75f, 94, 201, 98)]
    [InlineData("viridis", 1.0f, 253, 231, 37)]
    [InlineData("inferno", 0.0f, 0, 0, 4)]
    [InlineData("inferno", 0.25f, 87, 16, 110)]
    [InlineData("inferno", 0.5f, 188, 55, 84)]
    [InlineData("inferno", 0.75f, 249, 142, 9)]
    [InlineData("inferno", 1.0f, 252, 255, 164)]
    [InlineData("magma", 0.0f, 0, 0, 4)]
    [InlineData("magma", 0.25f, 81, 18, 124)]
    [InlineData("magma", 0.5f, 183, 55, 121)]
    [InlineData("magma", 0.75f, 252, 137, 97)]
    [InlineData("magma", 1.0f, 252, 253, 191)]
    [InlineData("turbo", 0.0f, 48, 18, 59)]
    [InlineData("turbo", 0.25f, 40, 188, 235)]
    [InlineData("turbo", 0.5f, 164, 252, 60)]
    [InlineData("turbo", 0.75f, 251, 126, 33)]
    [InlineData("turbo", 1.0f, 122, 4, 3)]
    public void Perceptual_maps_match_matplotlib_within_one_level(string name, float value, int r, int g, int b)
    {
        var (actualR, actualG, actualB) = Colormap.FromName(name).Map(value);
        Assert.InRange(actualR, r - 1, r + 1);
        Assert.InRange(actualG, g - 1, g + 1);
        Assert.InRange(actualB, b - 1, b + 1);
    }

    [Theory]
    [InlineData("jet", 5)] // ramps of 4 per entry, and OpenCV's rounding makes one step of 5 (blue, 158 to 159)
    [InlineData("turbo", 8)]
    [InlineData("viridis", 3)]
    [InlineData("inferno", 5)]
    [InlineData("magma", 3)]
    [InlineData("gray", 1)]
    public void Tables_are_smooth(string name, int largestStep)
    {
        // A shifted or garbled table shows up as a jump between neighbouring entries.
        var colormap = Colormap.FromName(name);
        int biggest = 0;
        for (int i = 1; i < Colormap.Size; i++)
        {
            var (r0, g0, b0) = colormap[i - 1];
            var (r1, g1, b1) = colormap[i];
            biggest = Math.Max(biggest, Math.Max(Math.Abs(r1 - r0), Math.Max(Math.Abs(g1 - g0), Math.Abs(b1 - b0))));
        }
        Assert.InRange(biggest, 1, largestStep);
    }

    [Fact]
    public void Gray_maps_each_entry_to_its_own_level()
    {
        for (int i = 0; i < Colormap.Size; i++) Assert.Equal(((byte)i, (byte)i, (byte)i), Colormap.Gray[i]);
        Assert.Equal(((byte)128, (byte)128, (byte)128), Colormap.Gray.Map(0.5f));
        Assert.Equal(((byte)255, (byte)255, (byte)255), Colormap.Gray.Map(1f));
    }

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(0.5f, 128)]
    [InlineData(1f, 255)]
    [InlineData(1f / 256, 1)]
    [InlineData(0.00390624f, 0)] // just below 1/256
    [InlineData(0.99999f, 255)]
    [InlineData(0.25f, 64)]
    [InlineData(-3f, 0)]
    [InlineData(7f, 255)]
    [InlineData(float.NaN, 0)]
    [InlineData(float.PositiveInfinity, 255)]
    [InlineData(float.NegativeInfinity, 0)]
    public void Values_select_entries_like_matplotlib(float value, int index)
    {
        Assert.Equal(index, Colormap.IndexOf(value));
    }

    [Theory]
    [InlineData("jet")]
    [InlineData("JET")]
    [InlineData("Viridis")]
    [InlineData(" magma ")]
    public void Lookup_by_name_ignores_case(string name)
    {
        var colormap = Colormap.FromName(name);
        Assert.Equal(name.Trim().ToLowerInvariant(), colormap.Name);
        Assert.Same(colormap, Colormap.FromName(colormap.Name.ToUpperInvariant()));
    }

    [Fact]
    public void Unknown_name_is_an_option_error_listing_the_known_ones()
    {
        var error = Assert.Throws<InvalidOptionException>(() => Colormap.FromName("rainbow"));
        Assert.Equal("--colormap", error.Option);
        Assert.Contains("rainbow", error.Message);
        Assert.Contains("known: jet, turbo, viridis, inferno, magma, gray", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Every_named_map_is_listed_once()
    {
        Assert.Equal(["jet", "turbo", "viridis", "inferno", "magma", "gray"], Colormap.All.Select(c => c.Name));
        Assert.Same(Colormap.Jet, Colormap.All[0]);
        Assert.Same(Colormap.Gray, Colormap.All[^1]);
    }

    [Fact]
    public void Index_outside_the_table_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Colormap.Jet[256]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Colormap.Jet[-1]);
    }
}
