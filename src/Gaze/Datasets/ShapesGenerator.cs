using System.Globalization;
using Gaze.Errors;
using Gaze.Imaging;
using SkiaSharp;

namespace Gaze.Datasets;

/// <summary>
/// Generates the shapes data set: square RGB images, each with exactly one filled object of a
/// <see cref="ShapeClass"/> at a random position, scale, rotation and colour, on a textured, cluttered background
/// crossed by distractor strokes. The object is always entirely inside the image with a margin, and its brightness
/// is kept well apart from the background around it, so the class is never ambiguous.
/// <para>
/// Sample <c>i</c> depends only on the seed, the size and <c>i</c> (each has its own random stream), so samples
/// can be generated in any order or in parallel and are identical on every run and machine.
/// </para>
/// </summary>
public sealed class ShapesGenerator
{
    /// <summary>The default image side in pixels.</summary>
    public const int DefaultSize = 128;

    /// <summary>The smallest image side allowed; below it the shapes become too coarse to tell apart.</summary>
    public const int MinSize = 32;

    /// <summary>The largest image side allowed.</summary>
    public const int MaxSize = 1024;

    // Object radius (of the circle enclosing it) as a fraction of the image side, and the free margin at the edges.
    private const double MinRadius = 0.17, MaxRadius = 0.33, Margin = 0.05;

    // How far (in luma, 0..1) the object's colour stays from the background around it.
    private const double MinimumContrast = 0.3;

    // Pixels with at least half the object's coverage belong to its mask.
    private const byte MaskCoverageThreshold = 128;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">Any integer; the same seed always gives the same data set.</param>
    /// <param name="size">Image width and height in pixels, <see cref="MinSize"/> to <see cref="MaxSize"/>.</param>
    /// <exception cref="InvalidOptionException"><paramref name="size"/> is out of range (names <c>--size</c>).</exception>
    public ShapesGenerator(int seed, int size = DefaultSize)
    {
        ValidateSize(size);
        Seed = seed;
        Size = size;
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>Image width and height in pixels.</summary>
    public int Size { get; }

    /// <summary>
    /// The class of sample <paramref name="index"/> in a data set: the classes take turns in class-index order,
    /// so any <c>k * ClassCount</c> consecutive samples are exactly balanced.
    /// </summary>
    public static ShapeClass ClassOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return (ShapeClass)(index % ShapeClassNames.Count);
    }

    /// <summary>Checks an image size.</summary>
    /// <exception cref="InvalidOptionException">Out of range (names <c>--size</c>).</exception>
    public static void ValidateSize(int size)
    {
        if (size is < MinSize or > MaxSize)
            throw new InvalidOptionException("--size",
                $"must be from {MinSize} to {MaxSize} pixels, got {size.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Sample <paramref name="index"/> of the data set, of class <see cref="ClassOf"/>(<paramref name="index"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public ShapeSample Generate(int index) => Generate(index, ClassOf(index));

    /// <summary>
    /// Sample <paramref name="index"/> drawn with an object of class <paramref name="shape"/> (for when a caller wants
    /// a particular class; the data set itself uses <see cref="Generate(int)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or <paramref name="shape"/> is not a class.</exception>
    public ShapeSample Generate(int index, ShapeClass shape)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (!Enum.IsDefined(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a shape class");

        // Every random choice below comes from this one stream, in a fixed order.
        var random = DeterministicRandom.ForItem(Seed, index);
        var placement = Place(random);
        using var outline = ShapeOutlines.Build(shape, random);

        var mask = RenderMask(outline, placement);
        var box = BoundingBox.Around(mask)
            ?? throw new InvalidOperationException($"shape {shape} of sample {index} covers no pixel");

        var info = new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        ShapeBackground.Paint(canvas, Size, random);
        var objectColour = ChooseObjectColour(bitmap, box, random);
        DistractorStrokes.Paint(canvas, Size, random, objectColour);
        using (var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = objectColour })
            DrawPlaced(canvas, outline, placement, paint);

        var image = WithGrain(bitmap, random);
        return new ShapeSample(shape, image, mask, box, (objectColour.Red, objectColour.Green, objectColour.Blue));
    }

    /// <summary>Centre, radius and rotation of the object; the enclosing circle keeps the margin to every edge.</summary>
    private ShapePlacement Place(DeterministicRandom random)
    {
        double radius = random.Uniform(MinRadius, MaxRadius) * Size;
        double margin = Math.Max(2, Margin * Size);
        double low = margin + radius, high = Size - margin - radius;
        return new ShapePlacement(
            CentreX: (float)random.Uniform(low, high),
            CentreY: (float)random.Uniform(low, high),
            Radius: (float)radius,
            RotationDegrees: (float)random.Uniform(0, 360));
    }

    private static void DrawPlaced(SKCanvas canvas, SKPath outline, ShapePlacement placement, SKPaint paint)
    {
        canvas.Save();
        canvas.Translate(placement.CentreX, placement.CentreY);
        canvas.RotateDegrees(placement.RotationDegrees);
        canvas.Scale(placement.Radius);
        canvas.DrawPath(outline, paint);
        canvas.Restore();
    }

    /// <summary>The object drawn alone, with the same transform and antialiasing, thresholded at half coverage.</summary>
    private GrayImage RenderMask(SKPath outline, ShapePlacement placement)
    {
        using var coverage = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(coverage))
        {
            canvas.Clear(SKColors.Transparent);
            using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = SKColors.White };
            DrawPlaced(canvas, outline, placement, paint);
        }
        var mask = new GrayImage(Size, Size);
        ReadOnlySpan<byte> alpha = coverage.GetPixelSpan();
        int rowBytes = coverage.RowBytes;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                mask.Pixels[y * Size + x] = alpha[y * rowBytes + x] >= MaskCoverageThreshold ? (byte)255 : (byte)0;
        return mask;
    }

    /// <summary>
    /// A random colour whose luma differs by at least <see cref="MinimumContrast"/> from nearly all of the background
    /// in and around the object's box (5th to 95th percentile), on the side with more room.
    /// </summary>
    private SKColor ChooseObjectColour(SKBitmap background, BoundingBox box, DeterministicRandom random)
    {
        int pad = Math.Max(2, Size / 20);
        int x0 = Math.Max(0, box.X0 - pad), y0 = Math.Max(0, box.Y0 - pad);
        int x1 = Math.Min(Size, box.X1 + pad), y1 = Math.Min(Size, box.Y1 + pad);
        ReadOnlySpan<byte> pixels = background.GetPixelSpan();
        int rowBytes = background.RowBytes;
        // A histogram of luma in 1/255 steps is precise enough for percentiles and needs no sorting.
        Span<int> histogram = stackalloc int[256];
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                int i = y * rowBytes + 4 * x;
                histogram[ShapeColours.ToByte(ShapeColours.Luma(pixels[i] / 255.0, pixels[i + 1] / 255.0, pixels[i + 2] / 255.0))]++;
            }
        }
        int total = (x1 - x0) * (y1 - y0);
        double low = Percentile(histogram, total, 0.05), high = Percentile(histogram, total, 0.95);

        double darkRoom = low - MinimumContrast, lightRoom = 1 - (high + MinimumContrast);
        double luma = darkRoom >= lightRoom
            ? random.Uniform(0, Math.Max(0, darkRoom))
            : random.Uniform(Math.Min(1, high + MinimumContrast), 1);
        // Vivid or muted colours alike; the class must never be told by colour.
        return ShapeColours.WithLuma(random.Uniform(0, 360), random.Uniform(0, 1), luma);
    }

    /// <summary>The luma (0..1) below which a <paramref name="fraction"/> of the <paramref name="total"/> counted pixels lie.</summary>
    private static double Percentile(ReadOnlySpan<int> histogram, int total, double fraction)
    {
        int wanted = (int)Math.Ceiling(fraction * total), seen = 0;
        for (int level = 0; level < histogram.Length; level++)
        {
            seen += histogram[level];
            if (seen >= Math.Max(1, wanted)) return level / 255.0;
        }
        return 1;
    }

    /// <summary>
    /// Copies the canvas into an <see cref="RgbImage"/>, adding grain: a brightness jitter shared by the three
    /// channels plus a smaller one per channel, so that no two pixels of a flat area are exactly alike.
    /// </summary>
    private RgbImage WithGrain(SKBitmap bitmap, DeterministicRandom random)
    {
        int amplitude = random.NextInt(2, 8);
        var image = new RgbImage(Size, Size);
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        byte[] rgb = image.Pixels;
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                // One 64-bit draw gives four 16-bit uniform numbers: the shared jitter and one per channel.
                ulong bits = random.NextUInt64();
                int shared = Jitter(bits, amplitude);
                int source = y * rowBytes + 4 * x, target = 3 * (y * Size + x);
                for (int c = 0; c < 3; c++)
                {
                    int own = Jitter(bits >> (16 * (c + 1)), amplitude / 2);
                    rgb[target + c] = (byte)Math.Clamp(rgba[source + c] + shared + own, 0, 255);
                }
            }
        }
        return image;
    }

    /// <summary>An integer from -<paramref name="amplitude"/> to <paramref name="amplitude"/> from the low 16 bits.</summary>
    private static int Jitter(ulong bits, int amplitude) => (int)((bits & 0xFFFF) * (ulong)(2 * amplitude + 1) >> 16) - amplitude;
}
