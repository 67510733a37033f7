using SkiaSharp;

namespace Gaze.Datasets;

/// <summary>
/// Paints the cluttered, textured background behind a shape: a colour gradient, soft blotches, a regular or
/// irregular texture and faint lines. Everything stays within one brightness band, light or dark, so that an object
/// in the opposite band stands out wherever it is placed; nothing painted here has a sharp closed outline.
/// </summary>
internal static class ShapeBackground
{
    private enum Texture { Stripes, Grid, Dots, Mottle, Waves }

    /// <summary>Paints the whole of a <paramref name="size"/> x <paramref name="size"/> canvas.</summary>
    public static void Paint(SKCanvas canvas, int size, DeterministicRandom random)
    {
        bool light = random.Chance(0.5);
        var band = light ? (Low: 0.62, High: 0.92) : (Low: 0.06, High: 0.36);
        float scale = size / 128f;

        PaintGradient(canvas, size, random, band);
        PaintBlotches(canvas, size, random, band);
        var texture = (Texture)random.NextInt(Enum.GetValues<Texture>().Length);
        PaintTexture(canvas, size, scale, random, band, texture);
        PaintFaintLines(canvas, size, scale, random, band);
    }

    private static SKColor BandColour(DeterministicRandom random, (double Low, double High) band, double maxSaturation, byte alpha = 255) =>
        ShapeColours.RandomWithLuma(random, random.Uniform(band.Low, band.High), maxSaturation, alpha);

    private static SKPoint RandomPoint(DeterministicRandom random, int size, double overshoot = 0) =>
        new((float)random.Uniform(-overshoot * size, (1 + overshoot) * size), (float)random.Uniform(-overshoot * size, (1 + overshoot) * size));

    private static void PaintGradient(SKCanvas canvas, int size, DeterministicRandom random, (double Low, double High) band)
    {
        SKColor[] colours = [BandColour(random, band, 0.6), BandColour(random, band, 0.6), BandColour(random, band, 0.6)];
        using var shader = random.Chance(0.65)
            ? SKShader.CreateLinearGradient(RandomPoint(random, size), RandomPoint(random, size), colours, SKShaderTileMode.Clamp)
            : SKShader.CreateRadialGradient(RandomPoint(random, size), (float)random.Uniform(0.4, 1.2) * size, colours, SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        canvas.DrawPaint(paint);
    }

    /// <summary>Large soft spots fading to nothing at their rim, so they have no edge that could read as a circle.</summary>
    private static void PaintBlotches(SKCanvas canvas, int size, DeterministicRandom random, (double Low, double High) band)
    {
        int count = random.NextInt(2, 7);
        for (int i = 0; i < count; i++)
        {
            var centre = RandomPoint(random, size, 0.1);
            float radius = (float)random.Uniform(0.1, 0.45) * size;
            var colour = BandColour(random, band, 0.7, (byte)random.NextInt(120, 230));
            using var shader = SKShader.CreateRadialGradient(centre, radius, [colour, colour.WithAlpha(0)], SKShaderTileMode.Clamp);
            using var paint = new SKPaint { Shader = shader, IsAntialias = true };
            canvas.DrawCircle(centre, radius, paint);
        }
    }

    private static void PaintTexture(SKCanvas canvas, int size, float scale, DeterministicRandom random, (double Low, double High) band, Texture texture)
    {
        using var paint = new SKPaint
        {
            IsAntialias = true,
            Color = BandColour(random, band, 0.5, (byte)random.NextInt(70, 150)),
            Style = SKPaintStyle.Stroke,
            StrokeWidth = (float)random.Uniform(0.8, 2.5) * scale,
        };
        float spacing = (float)random.Uniform(5, 14) * scale;
        canvas.Save();
        // Rotate about the centre; patterns are drawn over a square large enough to cover the corners.
        canvas.RotateDegrees((float)random.Uniform(0, 180), size / 2f, size / 2f);
        float from = -size * 0.5f, to = size * 1.5f;
        switch (texture)
        {
            case Texture.Stripes:
                for (float y = from; y < to; y += spacing) canvas.DrawLine(from, y, to, y, paint);
                break;
            case Texture.Grid:
                for (float y = from; y < to; y += spacing) canvas.DrawLine(from, y, to, y, paint);
                for (float x = from; x < to; x += spacing) canvas.DrawLine(x, from, x, to, paint);
                break;
            case Texture.Dots:
                paint.Style = SKPaintStyle.Fill;
                float dot = (float)random.Uniform(0.6, 1.4) * scale;
                for (float y = from; y < to; y += spacing)
                    for (float x = from; x < to; x += spacing) canvas.DrawCircle(x, y, dot, paint);
                break;
            case Texture.Mottle:
                PaintMottle(canvas, size, scale, random, band);
                break;
            case Texture.Waves:
                float amplitude = (float)random.Uniform(1.5, 5) * scale, wavelength = (float)random.Uniform(12, 40) * scale;
                for (float y = from; y < to; y += spacing)
                {
                    using var builder = new SKPathBuilder();
                    builder.MoveTo(from, y);
                    for (float x = from; x <= to; x += 2 * scale)
                        builder.LineTo(x, y + amplitude * MathF.Sin(2 * MathF.PI * x / wavelength));
                    using var wave = builder.Detach();
                    canvas.DrawPath(wave, paint);
                }
                break;
        }
        canvas.Restore();
    }

    /// <summary>Many small soft spots in band colours: an irregular, stone-like texture.</summary>
    private static void PaintMottle(SKCanvas canvas, int size, float scale, DeterministicRandom random, (double Low, double High) band)
    {
        int count = random.NextInt(40, 90);
        for (int i = 0; i < count; i++)
        {
            var centre = RandomPoint(random, size, 0.5);
            float radius = (float)random.Uniform(3, 10) * scale;
            var colour = BandColour(random, band, 0.5, (byte)random.NextInt(60, 140));
            using var shader = SKShader.CreateRadialGradient(centre, radius, [colour, colour.WithAlpha(0)], SKShaderTileMode.Clamp);
            using var paint = new SKPaint { Shader = shader, IsAntialias = true };
            canvas.DrawCircle(centre, radius, paint);
        }
    }

    /// <summary>Long thin low-contrast lines right across the image.</summary>
    private static void PaintFaintLines(SKCanvas canvas, int size, float scale, DeterministicRandom random, (double Low, double High) band)
    {
        int count = random.NextInt(2, 8);
        for (int i = 0; i < count; i++)
        {
            using var paint = new SKPaint
            {
                IsAntialias = true,
                Style = SKPaintStyle.Stroke,
                StrokeWidth = (float)random.Uniform(0.6, 1.6) * scale,
                Color = BandColour(random, band, 0.6, (byte)random.NextInt(80, 170)),
            };
            canvas.DrawLine(RandomPoint(random, size, 0.3), RandomPoint(random, size, 0.3), paint);
        }
    }
}
