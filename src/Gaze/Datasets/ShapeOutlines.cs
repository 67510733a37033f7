using SkiaSharp;

namespace Gaze.Datasets;

/// <summary>
/// The outline of each <see cref="ShapeClass"/> as a path in unit coordinates: centred on the origin and inside the
/// unit circle, so that scaling by a radius r bounds the drawn object by a circle of radius r whatever the rotation.
/// Some classes vary a little from sample to sample (ring thickness, star and cross proportions) so that a network
/// learns the shape, not one exact drawing of it.
/// </summary>
internal static class ShapeOutlines
{
    private const int HeartPoints = 96;

    // The heart is the same every time; its unit-circle polygon is computed once.
    private static readonly SKPoint[] Heart = BuildHeart();

    /// <summary>Builds the outline of <paramref name="shape"/>, drawing any proportions from <paramref name="random"/>.</summary>
    public static SKPath Build(ShapeClass shape, DeterministicRandom random)
    {
        using var builder = new SKPathBuilder();
        switch (shape)
        {
            case ShapeClass.Circle:
                builder.AddCircle(0, 0, 0.95f, SKPathDirection.Clockwise);
                break;
            case ShapeClass.Square:
                // Half side 0.68: corners at radius 0.96.
                builder.AddRect(new SKRect(-0.68f, -0.68f, 0.68f, 0.68f), SKPathDirection.Clockwise);
                break;
            case ShapeClass.Triangle:
                builder.AddPoly(RegularPolygon(3, 1.0), close: true);
                break;
            case ShapeClass.Hexagon:
                builder.AddPoly(RegularPolygon(6, 0.97), close: true);
                break;
            case ShapeClass.Star:
                builder.AddPoly(Star(points: 5, outer: 1.0, inner: random.Uniform(0.38, 0.5)), close: true);
                break;
            case ShapeClass.Cross:
                builder.AddPoly(Cross(armLength: 0.94, halfWidth: random.Uniform(0.2, 0.3)), close: true);
                break;
            case ShapeClass.Ring:
                // Even-odd fill turns the inner circle into a hole; the band stays thick enough to read at small sizes.
                builder.FillType = SKPathFillType.EvenOdd;
                builder.AddCircle(0, 0, 0.95f, SKPathDirection.Clockwise);
                builder.AddCircle(0, 0, (float)(0.95 * random.Uniform(0.45, 0.62)), SKPathDirection.Clockwise);
                break;
            case ShapeClass.Heart:
                builder.AddPoly(Heart, close: true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a shape class");
        }
        return builder.Detach();
    }

    /// <summary>A regular polygon with a vertex straight up, circumradius <paramref name="radius"/>.</summary>
    private static SKPoint[] RegularPolygon(int sides, double radius)
    {
        var points = new SKPoint[sides];
        for (int i = 0; i < sides; i++)
            points[i] = Polar(radius, -Math.PI / 2 + 2 * Math.PI * i / sides);
        return points;
    }

    /// <summary>A star alternating between the outer and inner radius, a point straight up.</summary>
    private static SKPoint[] Star(int points, double outer, double inner)
    {
        var vertices = new SKPoint[2 * points];
        for (int i = 0; i < vertices.Length; i++)
            vertices[i] = Polar(i % 2 == 0 ? outer : inner, -Math.PI / 2 + Math.PI * i / points);
        return vertices;
    }

    /// <summary>A plus sign: arms reaching <paramref name="armLength"/> from the centre, <paramref name="halfWidth"/> thick each side.</summary>
    private static SKPoint[] Cross(double armLength, double halfWidth)
    {
        // Keep the arm's outer corners inside the unit circle.
        float a = (float)Math.Min(armLength, Math.Sqrt(1 - halfWidth * halfWidth));
        float w = (float)halfWidth;
        return
        [
            new(-w, -a), new(w, -a), new(w, -w), new(a, -w), new(a, w), new(w, w),
            new(w, a), new(-w, a), new(-w, w), new(-a, w), new(-a, -w), new(-w, -w),
        ];
    }

    /// <summary>
    /// The classic heart curve x = 16 sin^3 t, y = 13 cos t - 5 cos 2t - 2 cos 3t - cos 4t (y flipped for the
    /// screen), centred on its bounding box and scaled so that its farthest point lies on the unit circle.
    /// </summary>
    private static SKPoint[] BuildHeart()
    {
        var raw = new (double X, double Y)[HeartPoints];
        for (int i = 0; i < HeartPoints; i++)
        {
            double t = 2 * Math.PI * i / HeartPoints;
            double x = 16 * Math.Pow(Math.Sin(t), 3);
            double y = -(13 * Math.Cos(t) - 5 * Math.Cos(2 * t) - 2 * Math.Cos(3 * t) - Math.Cos(4 * t));
            raw[i] = (x, y);
        }
        double cx = (raw.Min(p => p.X) + raw.Max(p => p.X)) / 2;
        double cy = (raw.Min(p => p.Y) + raw.Max(p => p.Y)) / 2;
        double reach = raw.Max(p => Math.Sqrt((p.X - cx) * (p.X - cx) + (p.Y - cy) * (p.Y - cy)));
        return raw.Select(p => new SKPoint((float)((p.X - cx) / reach), (float)((p.Y - cy) / reach))).ToArray();
    }

    private static SKPoint Polar(double radius, double angle) =>
        new((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
}
