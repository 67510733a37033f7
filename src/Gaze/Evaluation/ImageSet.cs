using System.Globalization;
using Gaze.Datasets;
using Gaze.Errors;

namespace Gaze.Evaluation;

/// <summary>
/// The images an evaluation runs on, with their ground truth: generated shapes, a shapes folder, photos listed in a
/// boxes file or plain images. The ground truth is read and checked when the set is made, so a mistake in it stops
/// the run before anything is evaluated; the pixels are decoded one image at a time as <see cref="Images"/> is
/// walked, so ten thousand images take no more memory than one.
/// </summary>
public sealed class ImageSet
{
    private readonly Func<int, LabelledImage> load;

    // The files of a set read from disk, in order; null for generated images.
    private readonly IReadOnlyList<ImageFileEntry>? files;

    // What the files came from (a boxes file, a folder), for Only's messages; null when from nowhere in particular.
    private readonly string? origin;

    private ImageSet(int count, Func<int, LabelledImage> load, bool hasClasses, bool hasBoxes, bool hasMasks,
        string description, IReadOnlyList<ImageFileEntry>? files = null, string? origin = null)
    {
        Count = count;
        this.load = load;
        HasClasses = hasClasses;
        HasBoxes = hasBoxes;
        HasMasks = hasMasks;
        Description = description;
        this.files = files;
        this.origin = origin;
    }

    /// <summary>How many images there are (at least one).</summary>
    public int Count { get; }

    /// <summary>True when every image has a class.</summary>
    public bool HasClasses { get; }

    /// <summary>True when every image has at least one box.</summary>
    public bool HasBoxes { get; }

    /// <summary>True when every image has an object mask.</summary>
    public bool HasMasks { get; }

    /// <summary>Where the images come from, for reports: <c>generated: 1000 shapes, seed 1000</c>, <c>data/shapes (annotations.json)</c>, <c>boxes.json: 12 images</c>, <c>3 images</c>.</summary>
    public string Description { get; }

    /// <summary>The images in order, each decoded only when reached; every walk decodes them afresh.</summary>
    /// <exception cref="GazeFileException">An image or mask cannot be read or decoded.</exception>
    public IEnumerable<LabelledImage> Images()
    {
        for (int i = 0; i < Count; i++) yield return load(i);
    }

    /// <summary>
    /// Samples 0 .. <paramref name="count"/> - 1 of the shapes generator, each with its class (the label with the
    /// shape's name, any case), box and mask.
    /// </summary>
    /// <param name="generator">The generator.</param>
    /// <param name="count">How many samples, at least 1.</param>
    /// <param name="labels">The model's labels, which must name the shapes drawn.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="DataFormatException">A shape drawn is not one of <paramref name="labels"/>.</exception>
    public static ImageSet Generated(ShapesGenerator generator, int count, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        string description = string.Create(CultureInfo.InvariantCulture, $"generated: {count} shapes, seed {generator.Seed}");
        // Classes take turns, so the first samples show every class that appears.
        var classIndex = new int[ShapeClassNames.Count];
        for (int i = 0; i < Math.Min(count, ShapeClassNames.Count); i++)
        {
            string name = ShapeClassNames.NameOf(ShapesGenerator.ClassOf(i));
            classIndex[i] = LabelLookup.Find(name, labels, out string problem) ?? throw new DataFormatException(description, problem);
        }
        return new ImageSet(count, i =>
        {
            ShapeSample sample = generator.Generate(i);
            return new LabelledImage(string.Create(CultureInfo.InvariantCulture, $"shape {generator.Seed}/{i}"), sample.Image,
                classIndex[sample.ClassIndex], [sample.Box], sample.Mask);
        }, hasClasses: true, hasBoxes: true, hasMasks: true, description);
    }

    /// <summary>
    /// A data set folder as <c>gaze shapes</c> writes it: the images listed in its <c>annotations.json</c> with their
    /// class, box and mask. Every image and mask must exist, each box lie inside its image, each mask be at its
    /// image's size and each class be one of <paramref name="labels"/> (any case).
    /// </summary>
    /// <param name="directory">The folder (or its annotations file).</param>
    /// <param name="labels">The model's labels.</param>
    /// <exception cref="InputFileNotFoundException">The annotations file, an image or a mask does not exist.</exception>
    /// <exception cref="AnnotationsFormatException">The annotations file is malformed.</exception>
    /// <exception cref="DataFormatException">A class is not one of the labels, or a box or mask does not fit its image.</exception>
    /// <exception cref="ImageDecodeException">An image or mask is not a readable image.</exception>
    public static ImageSet FromShapesFolder(string directory, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(labels);
        string annotationsPath = Directory.Exists(directory) ? Path.Combine(directory, AnnotationsFile.FileName) : directory;
        AnnotationSet annotations = AnnotationsFile.Read(annotationsPath);
        var classByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = new List<ImageFileEntry>(annotations.Images.Count);
        foreach (ImageAnnotation annotation in annotations.Images)
        {
            string field = $"images[{entries.Count}]";
            if (!classByName.TryGetValue(annotation.ClassName, out int classIndex))
            {
                classIndex = LabelLookup.Find(annotation.ClassName, labels, out string problem)
                    ?? throw new DataFormatException(annotationsPath, $"{field}.class: {problem}");
                classByName[annotation.ClassName] = classIndex;
            }
            string imagePath = annotations.PathOf(annotation.File);
            (int width, int height) = ImageHeader.SizeOf(imagePath);
            if (annotation.Box.X1 > width || annotation.Box.Y1 > height)
                throw new DataFormatException(annotationsPath, $"{field}.box: {annotation.Box} lies outside {annotation.File}, which is {width}x{height}");
            string? maskPath = annotation.Mask is null ? null : annotations.PathOf(annotation.Mask);
            if (maskPath is not null && ImageHeader.SizeOf(maskPath) is var (maskWidth, maskHeight) && (maskWidth, maskHeight) != (width, height))
                throw new DataFormatException(annotationsPath, $"{field}.mask: {annotation.Mask} is {maskWidth}x{maskHeight} but {annotation.File} is {width}x{height}");
            entries.Add(new ImageFileEntry(imagePath, classIndex, [annotation.Box], maskPath));
        }
        return FromFiles(entries, $"{directory} ({AnnotationsFile.FileName})", annotationsPath);
    }

    /// <summary>
    /// The photos listed in a boxes file, with their boxes and, where given, classes:
    /// <code>
    /// {"images": [{"file": "photos/cat.png", "class": 281, "boxes": [[x0, y0, x1, y1], ...]}, ...]}
    /// </code>
    /// <c>file</c> is relative to the boxes file's folder; <c>class</c> is an index into <paramref name="labels"/> or a
    /// label (whole, or one of its comma-separated synonyms, any case: <c>"tabby"</c> for <c>"tabby, tabby cat"</c>)
    /// and may be left out; <c>boxes</c>, at least one, are in the image's own pixels and half-open (see
    /// <see cref="BoundingBox"/>). Everything is checked now: the file's form, that each image exists, that each box
    /// lies inside its image (sized from the file's header) and that each class is one of <paramref name="labels"/>.
    /// </summary>
    /// <param name="path">The boxes file.</param>
    /// <param name="labels">The model's labels; null when it has none, and then classes must be indices.</param>
    /// <exception cref="InputFileNotFoundException">The boxes file or a listed image does not exist.</exception>
    /// <exception cref="DataFormatException">The file is malformed or lists no images, a box lies outside its image
    /// or a class is not one of the labels; the message names the file and the field.</exception>
    /// <exception cref="ImageDecodeException">A listed image is not a readable image.</exception>
    public static ImageSet FromBoxesFile(string path, IReadOnlyList<string>? labels)
    {
        IReadOnlyList<ImageFileEntry> entries = BoxesFile.Read(path, labels);
        return FromFiles(entries, $"{path}: {CountOf(entries.Count)}", path);
    }

    /// <summary>Images without ground truth: no class (the predicted one is explained), no boxes.</summary>
    /// <param name="imagePaths">The image files, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="imagePaths"/> is empty.</exception>
    /// <exception cref="InputFileNotFoundException">An image does not exist.</exception>
    public static ImageSet Unlabelled(IReadOnlyList<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        if (imagePaths.Count == 0) throw new ArgumentException("an image set needs at least one image", nameof(imagePaths));
        var entries = new List<ImageFileEntry>(imagePaths.Count);
        foreach (string imagePath in imagePaths)
        {
            if (!File.Exists(imagePath)) throw new InputFileNotFoundException(imagePath);
            entries.Add(new ImageFileEntry(imagePath, null, [], null));
        }
        return FromFiles(entries, CountOf(entries.Count), origin: null);
    }

    /// <summary>
    /// This set restricted to the images <paramref name="imagePaths"/> names (compared by full path), in the set's
    /// order: evaluating a few photos of a larger boxes file.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="imagePaths"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The set is generated, not read from files.</exception>
    /// <exception cref="DataFormatException">An image is not in the set; the message names it.</exception>
    public ImageSet Only(IReadOnlyList<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        if (imagePaths.Count == 0) throw new ArgumentException("give at least one image", nameof(imagePaths));
        if (files is null) throw new InvalidOperationException($"{Description} has no image files to choose from");
        var listed = files.Select(file => file.FullPath).ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string imagePath in imagePaths)
        {
            string full = Path.GetFullPath(imagePath);
            if (!listed.Contains(full)) throw new DataFormatException(origin ?? imagePath, $"has no entry for {imagePath}");
            wanted.Add(full);
        }
        var chosen = files.Where(file => wanted.Contains(file.FullPath)).ToList();
        string part = $"{chosen.Count} of {CountOf(files.Count)}";
        return FromFiles(chosen, origin is null ? part : $"{origin}: {part}", origin);
    }

    private static ImageSet FromFiles(IReadOnlyList<ImageFileEntry> entries, string description, string? origin) =>
        new(entries.Count, i => entries[i].Load(),
            hasClasses: entries.All(e => e.Class is not null),
            hasBoxes: entries.All(e => e.Boxes.Count > 0),
            hasMasks: entries.All(e => e.MaskPath is not null),
            description, entries, origin);

    private static string CountOf(int count) =>
        count == 1 ? "1 image" : string.Create(CultureInfo.InvariantCulture, $"{count} images");
}
