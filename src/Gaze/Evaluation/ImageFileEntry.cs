using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Imaging;

namespace Gaze.Evaluation;

/// <summary>One image file of an <see cref="ImageSet"/> with its checked ground truth, decoded only when asked.</summary>
/// <param name="Path">The image file, as it is named in messages.</param>
/// <param name="Class">The class index; null when unknown.</param>
/// <param name="Boxes">The object's boxes, inside the image; empty when unknown.</param>
/// <param name="MaskPath">The object's mask file, at the image's size; null when there is none.</param>
internal sealed record ImageFileEntry(string Path, int? Class, IReadOnlyList<BoundingBox> Boxes, string? MaskPath)
{
    /// <summary>The absolute path, by which <see cref="ImageSet.Only"/> compares files.</summary>
    public string FullPath { get; } = System.IO.Path.GetFullPath(Path);

    /// <summary>Decodes the image and its mask.</summary>
    /// <exception cref="GazeFileException">A file cannot be read or decoded, or the mask's size does not match.</exception>
    public LabelledImage Load()
    {
        RgbImage image = ImageDecoder.Load(Path);
        return new LabelledImage(Path, image, Class, Boxes, MaskPath is null ? null : LoadMask(MaskPath, image));
    }

    /// <summary>The mask as one channel: a pixel is on the object when any of its channels is non-zero.</summary>
    private static GrayImage LoadMask(string path, RgbImage image)
    {
        RgbImage decoded = ImageDecoder.Load(path);
        if (decoded.Width != image.Width || decoded.Height != image.Height)
            throw new DataFormatException(path, $"the mask is {decoded.Width}x{decoded.Height} but its image is {image.Width}x{image.Height}");
        var mask = new GrayImage(decoded.Width, decoded.Height);
        byte[] rgb = decoded.Pixels;
        for (int i = 0; i < mask.Pixels.Length; i++)
            mask.Pixels[i] = Math.Max(rgb[3 * i], Math.Max(rgb[3 * i + 1], rgb[3 * i + 2]));
        return mask;
    }
}
