using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Imaging;

namespace Gaze.Tests.Datasets;

public class ShapesGeneratorTests
{
    private const int SamplesChecked = 48; // six of each class

    private static readonly Lazy<ShapeSample[]> Samples =
        new(() => Enumerable.Range(0, SamplesChecked).Select(new ShapesGenerator(seed: 11).Generate).ToArray());

    public static TheoryData<int> SampleIndices() => new(Enumerable.Range(0, SamplesChecked));

    private static double Luma((byte R, byte G, byte B) c) => (0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B) / 255;

    private static int ChannelDistance((byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));

    [Fact]
    public void The_same_seed_gives_identical_samples_in_any_order()
    {
        var first = new ShapesGenerator(seed: 3);
        var second = new ShapesGenerator(seed: 3);
        // The second generator makes other samples first: each index must not depend on what came before.
        for (int i = 0; i < 5; i++) second.Generate(100 + i);
        foreach (int index in new[] { 9, 0, 4 })
        {
            var a = first.Generate(index);
            var b = second.Generate(index);
            Assert.Equal(a.Image.Pixels, b.Image.Pixels);
            Assert.Equal(a.Mask.Pixels, b.Mask.Pixels);
            Assert.Equal(a.Box, b.Box);
            Assert.Equal(a.Class, b.Class);
            Assert.Equal(a.ObjectColour, b.ObjectColour);
        }
    }

    [Fact]
    public void Samples_generated_in_parallel_equal_those_generated_one_by_one()
    {
        var generator = new ShapesGenerator(seed: 21);
        var parallel = new ShapeSample[16];
        Parallel.For(0, parallel.Length, i => parallel[i] = generator.Generate(i));
        for (int i = 0; i < parallel.Length; i++)
            Assert.Equal(new ShapesGenerator(seed: 21).Generate(i).Image.Pixels, parallel[i].Image.Pixels);
    }

    [Fact]
    public void Different_seeds_and_indices_give_different_images()
    {
        var a = new ShapesGenerator(seed: 1).Generate(0);
        var b = new ShapesGenerator(seed: 2).Generate(0);
        var c = new ShapesGenerator(seed: 1).Generate(ShapeClassNames.Count); // same class as index 0
        Assert.Equal(a.Class, b.Class);
        Assert.Equal(a.Class, c.Class);
        Assert.NotEqual(a.Image.Pixels, b.Image.Pixels);
        Assert.NotEqual(a.Image.Pixels, c.Image.Pixels);
        Assert.NotEqual(a.Box, b.Box);
    }

    [Fact]
    public void Classes_take_turns_so_every_class_appears_equally()
    {
        Assert.Equal(8, ShapeClassNames.Count);
        var classes = Samples.Value.Select(s => s.Class).ToArray();
        Assert.Equal(ShapeClassNames.All, classes.Take(ShapeClassNames.Count));
        Assert.All(classes.GroupBy(c => c), group => Assert.Equal(SamplesChecked / ShapeClassNames.Count, group.Count()));
        Assert.All(Samples.Value, s =>
        {
            Assert.Equal((int)s.Class, s.ClassIndex);
            Assert.Equal(ShapeClassNames.NameOf(s.Class), s.ClassName);
        });
    }

    [Fact]
    public void Class_names_are_in_ordinal_order_like_an_image_folder_reader_sorts_them()
    {
        Assert.Equal(["circle", "cross", "heart", "hexagon", "ring", "square", "star", "triangle"], ShapeClassNames.AllNames);
        Assert.Equal(ShapeClassNames.AllNames.Order(StringComparer.Ordinal), ShapeClassNames.AllNames);
        foreach (var shape in ShapeClassNames.All)
        {
            Assert.True(ShapeClassNames.TryParse(ShapeClassNames.NameOf(shape), out var parsed));
            Assert.Equal(shape, parsed);
        }
        Assert.False(ShapeClassNames.TryParse("Circle", out _));
    }

    [Theory]
    [MemberData(nameof(SampleIndices))]
    public void The_box_is_tight_around_a_binary_mask_kept_away_from_the_edges(int index)
    {
        var sample = Samples.Value[index];
        var (mask, box) = (sample.Mask, sample.Box);
        Assert.Equal((128, 128), (mask.Width, mask.Height));
        Assert.All(mask.Pixels, v => Assert.True(v is 0 or 255, $"mask value {v} is not binary"));

        bool RowTouched(int y) => Enumerable.Range(box.X0, box.Width).Any(x => mask[x, y] == 255);
        bool ColumnTouched(int x) => Enumerable.Range(box.Y0, box.Height).Any(y => mask[x, y] == 255);
        Assert.True(RowTouched(box.Y0) && RowTouched(box.Y1 - 1), $"box {box} is not tight vertically");
        Assert.True(ColumnTouched(box.X0) && ColumnTouched(box.X1 - 1), $"box {box} is not tight horizontally");
        for (int y = 0; y < mask.Height; y++)
            for (int x = 0; x < mask.Width; x++)
                if (mask[x, y] != 0) Assert.True(box.Contains(x, y), $"mask pixel ({x},{y}) outside the box {box}");

        // The whole object is in the picture, with a margin on every side.
        Assert.True(box.X0 >= 4 && box.Y0 >= 4 && box.X1 <= 124 && box.Y1 <= 124, $"box {box} is too close to the edge");
        // Large enough to recognise.
        Assert.True(Math.Max(box.Width, box.Height) >= 128 * 0.25, $"box {box} is too small");
    }

    [Theory]
    [MemberData(nameof(SampleIndices))]
    public void The_object_colour_is_where_the_mask_is_and_stands_out_from_its_surroundings(int index)
    {
        var sample = Samples.Value[index];
        var (image, mask, colour) = (sample.Image, sample.Mask, sample.ObjectColour);
        const int tolerance = 24; // grain is at most +-10 per channel

        int interior = 0, interiorMatching = 0, matching = 0, matchingInMask = 0;
        for (int y = 1; y < image.Height - 1; y++)
        {
            for (int x = 1; x < image.Width - 1; x++)
            {
                bool close = ChannelDistance(image[x, y], colour) <= tolerance;
                if (close) matching++;
                if (close && mask[x, y] != 0) matchingInMask++;
                // Fully covered pixels: the mask is on for the pixel and its 8 neighbours.
                bool inside = true;
                for (int dy = -1; dy <= 1 && inside; dy++)
                    for (int dx = -1; dx <= 1 && inside; dx++)
                        inside = mask[x + dx, y + dy] != 0;
                if (!inside) continue;
                interior++;
                if (close) interiorMatching++;
            }
        }
        Assert.True(interior > 100, $"only {interior} interior pixels");
        Assert.True(interiorMatching >= 0.97 * interior, $"{interiorMatching} of {interior} interior pixels have the object colour");
        Assert.True(matchingInMask >= 0.97 * matching, $"{matching - matchingInMask} of {matching} object-coloured pixels are outside the mask");

        // Contrast: the band of pixels just around the object differs clearly in brightness.
        var box = sample.Box;
        double objectLuma = Luma(colour), difference = 0;
        int around = 0;
        for (int y = Math.Max(0, box.Y0 - 4); y < Math.Min(image.Height, box.Y1 + 4); y++)
        {
            for (int x = Math.Max(0, box.X0 - 4); x < Math.Min(image.Width, box.X1 + 4); x++)
            {
                if (box.Contains(x, y) || mask[x, y] != 0) continue;
                difference += Math.Abs(Luma(image[x, y]) - objectLuma);
                around++;
            }
        }
        Assert.True(difference / around >= 0.25, $"mean brightness difference around the object is only {difference / around:F3}");
    }

    [Fact]
    public void Other_sizes_scale_the_whole_picture()
    {
        foreach (int size in new[] { 32, 64, 200 })
        {
            var sample = new ShapesGenerator(seed: 5, size).Generate(3);
            Assert.Equal((size, size), (sample.Image.Width, sample.Image.Height));
            Assert.Equal((size, size), (sample.Mask.Width, sample.Mask.Height));
            Assert.True(sample.Box.X1 <= size && sample.Box.Y1 <= size);
            Assert.Equal(BoundingBox.Around(sample.Mask), sample.Box);
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(-128)]
    [InlineData(1025)]
    public void A_size_out_of_range_names_the_size_option(int size)
    {
        var error = Assert.Throws<InvalidOptionException>(() => new ShapesGenerator(seed: 1, size));
        Assert.Equal("--size", error.Option);
        Assert.StartsWith("--size: ", error.Message);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public void A_negative_index_is_rejected()
    {
        var generator = new ShapesGenerator(seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(0, (ShapeClass)99));
    }

    [Fact]
    public void A_chosen_class_can_be_drawn_at_any_index()
    {
        var generator = new ShapesGenerator(seed: 8);
        var star = generator.Generate(0, ShapeClass.Star);
        Assert.Equal(ShapeClass.Star, star.Class);
        Assert.Equal(ShapeClass.Circle, ShapesGenerator.ClassOf(0));
        Assert.Equal(star.Image.Pixels, generator.Generate(0, ShapeClass.Star).Image.Pixels);
    }

    [Fact]
    public void Bounding_box_around_a_mask_is_half_open()
    {
        var mask = new GrayImage(10, 8);
        mask[2, 3] = 255;
        mask[6, 5] = 1;
        var box = BoundingBox.Around(mask);
        Assert.Equal(new BoundingBox(2, 3, 7, 6), box);
        Assert.Equal((5, 3), (box!.Value.Width, box.Value.Height));
        Assert.True(box.Value.Contains(6, 5));
        Assert.False(box.Value.Contains(7, 5));
        Assert.Null(BoundingBox.Around(new GrayImage(4, 4)));
        Assert.Throws<ArgumentException>(() => new BoundingBox(3, 0, 3, 1));
        Assert.Throws<ArgumentException>(() => new BoundingBox(-1, 0, 3, 1));
    }
}
