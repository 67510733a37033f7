using Gaze.Imaging;

namespace Gaze.Datasets;

/// <summary>
/// One generated image of the shapes data set with its answers: the class of the single object in it, where the
/// object is (tight box and pixel mask) and the colour it was filled with.
/// </summary>
public sealed class ShapeSample
{
    internal ShapeSample(ShapeClass shape, RgbImage image, GrayImage mask, BoundingBox box, (byte R, byte G, byte B) objectColour)
    {
        Class = shape;
        Image = image;
        Mask = mask;
        Box = box;
        ObjectColour = objectColour;
    }

    /// <summary>The object's class.</summary>
    public ShapeClass Class { get; }

    /// <summary>The class index, the label a classifier is trained to predict.</summary>
    public int ClassIndex => (int)Class;

    /// <summary>The class name, for example <c>"star"</c>.</summary>
    public string ClassName => ShapeClassNames.NameOf(Class);

    /// <summary>The RGB image: background, distractor strokes and the object, with sensor-like grain.</summary>
    public RgbImage Image { get; }

    /// <summary>
    /// The object's pixels: 255 where the object covers at least half of the pixel, 0 elsewhere. Same size as
    /// <see cref="Image"/>.
    /// </summary>
    public GrayImage Mask { get; }

    /// <summary>The tightest box around the mask's pixels (half-open, see <see cref="BoundingBox"/>).</summary>
    public BoundingBox Box { get; }

    /// <summary>The colour the object was filled with, before grain was added.</summary>
    public (byte R, byte G, byte B) ObjectColour { get; }
}
