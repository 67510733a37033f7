using SkiaSharp;

namespace Gaze.Datasets;

/// <summary>
/// Draws clutter that is not an object: thin open strokes (straight segments, gentle curves, arcs of at most half a
/// circle, bent lines) in any colour except the object's. None is closed or filled, so none can pass for one of
/// the <see cref="ShapeClass"/>es, and the object stays the only instance of a class in the image.
/// </summary>
internal static class DistractorStrokes
{
    private enum Stroke { Segment, Curve, Arc, Bend }

    // How far (RGB units) a stroke's colour stays from the object's, so colour alone never confuses the two.
    private const double MinimumColourDistance = 110;

    /// <summary>Draws 3 to 8 strokes on a <paramref name="size"/> x <paramref name="size"/> canvas.</summary>
    public static void Paint(SKCanvas canvas, int size, DeterministicRandom random, SKColor objectColour)
    {
        float scale = size / 128f;
        int count = random.NextInt(3, 9);
        for (int i = 0; i < count; i++)
        {
            using var paint = new SKPaint
            {
                IsAntialias = true,
                Style = SKPaintStyle.Stroke,
                StrokeWidth = (float)random.Uniform(1.0, 3.2) * scale,
                StrokeCap = random.Chance(0.5) ? SKStrokeCap.Round : SKStrokeCap.Butt,
                StrokeJoin = SKStrokeJoin.Round,
                Color = StrokeColour(random, objectColour),
            };
            using var path = StrokePath((Stroke)random.NextInt(4), size, random);
            canvas.DrawPath(path, paint);
        }
    }

    private static SKColor StrokeColour(DeterministicRandom random, SKColor objectColour)
    {
        SKColor colour = default;
        for (int attempt = 0; attempt < 32; attempt++)
        {
            var (r, g, b) = ShapeColours.FromHsv(random.Uniform(0, 360), random.Uniform(0, 1), random.Uniform(0.1, 1));
            colour = new SKColor(ShapeColours.ToByte(r), ShapeColours.ToByte(g), ShapeColours.ToByte(b), (byte)random.NextInt(170, 256));
            if (ShapeColours.Distance(colour, objectColour) >= MinimumColourDistance) return colour;
        }
        // Practically unreachable; the colour opposite the object's is as far from it as possible.
        return new SKColor((byte)(255 - objectColour.Red), (byte)(255 - objectColour.Green), (byte)(255 - objectColour.Blue), colour.Alpha);
    }

    private static SKPath StrokePath(Stroke kind, int size, DeterministicRandom random)
    {
        using var builder = new SKPathBuilder();
        var start = new SKPoint((float)random.Uniform(-0.1, 1.1) * size, (float)random.Uniform(-0.1, 1.1) * size);
        switch (kind)
        {
            case Stroke.Segment:
            {
                builder.MoveTo(start);
                builder.LineTo(start + Step(random, size, 0.2, 0.8));
                break;
            }
            case Stroke.Curve:
            {
                // A quadratic Bezier never crosses itself, so it cannot close into a loop.
                var end = start + Step(random, size, 0.25, 0.9);
                var control = new SKPoint((float)random.Uniform(-0.1, 1.1) * size, (float)random.Uniform(-0.1, 1.1) * size);
                builder.MoveTo(start);
                builder.QuadTo(control, end);
                break;
            }
            case Stroke.Arc:
            {
                float radius = (float)random.Uniform(0.08, 0.45) * size;
                var oval = new SKRect(start.X - radius, start.Y - radius, start.X + radius, start.Y + radius);
                // At most half a turn: clearly open, unlike a ring or a circle.
                builder.AddArc(oval, (float)random.Uniform(0, 360), (float)random.Uniform(30, 170));
                break;
            }
            case Stroke.Bend:
            {
                // Two segments meeting at 40 to 150 degrees: an open V or L, never a triangle.
                double heading = random.Uniform(0, 2 * Math.PI);
                double turn = Math.PI - random.Uniform(40, 150) * Math.PI / 180;
                if (random.Chance(0.5)) turn = -turn;
                var corner = start + Polar(random.Uniform(0.12, 0.4) * size, heading);
                var end = corner + Polar(random.Uniform(0.12, 0.4) * size, heading + turn);
                builder.MoveTo(start);
                builder.LineTo(corner);
                builder.LineTo(end);
                break;
            }
        }
        return builder.Detach();
    }

    private static SKPoint Step(DeterministicRandom random, int size, double minLength, double maxLength) =>
        Polar(random.Uniform(minLength, maxLength) * size, random.Uniform(0, 2 * Math.PI));

    private static SKPoint Polar(double length, double angle) =>
        new((float)(length * Math.Cos(angle)), (float)(length * Math.Sin(angle)));
}
