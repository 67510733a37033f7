namespace Gaze.Datasets;

/// <summary>
/// One image's entry in an annotations file: which file, which class, where the object is and, optionally, the
/// file of its pixel mask. Paths are relative to the annotations file's directory, with <c>/</c> separators.
/// </summary>
/// <param name="File">The image, for example <c>circle/0000.png</c>.</param>
/// <param name="ClassName">The object's class, one of <see cref="AnnotationSet.Classes"/>.</param>
/// <param name="Box">The object's tight box, half-open (see <see cref="BoundingBox"/>).</param>
/// <param name="Mask">The 8-bit mask image (255 on the object, 0 elsewhere), for example <c>masks/0000.png</c>; null if there is none.</param>
public sealed record ImageAnnotation(string File, string ClassName, BoundingBox Box, string? Mask);
