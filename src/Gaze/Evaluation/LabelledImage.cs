using Gaze.Datasets;
using Gaze.Imaging;

namespace Gaze.Evaluation;

/// <summary>An image with what is known about it, for evaluation: its class, the object's boxes and mask.</summary>
/// <param name="Name">The file (or generated sample) it came from, for messages.</param>
/// <param name="Image">The pixels.</param>
/// <param name="Class">The true class, an index into the model's labels; null when unknown (an evaluation then
/// explains the predicted class).</param>
/// <param name="Boxes">The object's boxes in pixel coordinates of <paramref name="Image"/>, half-open (see
/// <see cref="BoundingBox"/>); empty when none are known.</param>
/// <param name="Mask">The object's pixels (non-zero on the object) at the image's size; null when unknown.</param>
public sealed record LabelledImage(string Name, RgbImage Image, int? Class, IReadOnlyList<BoundingBox> Boxes, GrayImage? Mask = null);
