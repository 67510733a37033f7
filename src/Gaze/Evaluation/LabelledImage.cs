using Gaze.Datasets;
using Gaze.Imaging;

namespace Gaze.Evaluation;

/// <summary>An image with its true class and the box around the object, for evaluation.</summary>
/// <param name="Name">The file (or generated sample) it came from, for messages.</param>
/// <param name="Image">The pixels.</param>
/// <param name="ClassName">The true class.</param>
/// <param name="Box">The object's box in pixel coordinates of <paramref name="Image"/>.</param>
public sealed record LabelledImage(string Name, RgbImage Image, string ClassName, BoundingBox Box)
{
    /// <summary>Samples <paramref name="first"/>.. of the shapes generator.</summary>
    public static IEnumerable<LabelledImage> Generated(ShapesGenerator generator, int count, int first = 0)
    {
        for (int i = first; i < first + count; i++)
        {
            ShapeSample sample = generator.Generate(i);
            yield return new LabelledImage($"shape {generator.Seed}/{i}", sample.Image, sample.ClassName, sample.Box);
        }
    }

    /// <summary>The images of a data set folder with annotations.json (as <c>gaze shapes</c> writes it).</summary>
    public static IEnumerable<LabelledImage> FromFolder(string directory)
    {
        AnnotationSet set = AnnotationsFile.Read(Path.Combine(directory, AnnotationsFile.FileName));
        foreach (ImageAnnotation annotation in set.Images)
        {
            string path = Path.Combine(directory, annotation.File);
            yield return new LabelledImage(path, ImageDecoder.Load(path), annotation.ClassName, annotation.Box);
        }
    }
}
