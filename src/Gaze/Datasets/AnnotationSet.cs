namespace Gaze.Datasets;

/// <summary>
/// The content of an annotations file: the class names, in class-index order, and one entry per image.
/// <see cref="Directory"/> is where the entries' relative paths start from.
/// </summary>
public sealed class AnnotationSet
{
    private readonly Dictionary<string, int> classIndex;

    /// <summary>Creates the set.</summary>
    /// <param name="classes">The class names in class-index order; distinct and not empty.</param>
    /// <param name="images">The entries; each names one of <paramref name="classes"/>.</param>
    /// <param name="directory">The directory the entries' paths are relative to.</param>
    /// <exception cref="ArgumentException">A class name is empty or repeated, or an entry names an unknown class.</exception>
    public AnnotationSet(IReadOnlyList<string> classes, IReadOnlyList<ImageAnnotation> images, string directory)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(directory);
        classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
        {
            if (string.IsNullOrEmpty(classes[i])) throw new ArgumentException($"class {i} has no name", nameof(classes));
            if (!classIndex.TryAdd(classes[i], i)) throw new ArgumentException($"class '{classes[i]}' is listed twice", nameof(classes));
        }
        foreach (var image in images)
        {
            if (!classIndex.ContainsKey(image.ClassName))
                throw new ArgumentException($"{image.File} has class '{image.ClassName}', which is not in the class list", nameof(images));
        }
        Classes = classes.ToArray();
        Images = images.ToArray();
        Directory = directory;
    }

    /// <summary>The class names; a name's position is its class index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The image entries, in file order.</summary>
    public IReadOnlyList<ImageAnnotation> Images { get; }

    /// <summary>The directory that the entries' relative paths start from.</summary>
    public string Directory { get; }

    /// <summary>The class index of <paramref name="image"/>'s class.</summary>
    public int ClassIndexOf(ImageAnnotation image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return classIndex[image.ClassName];
    }

    /// <summary>The file-system path of <paramref name="relativePath"/> (an entry's image or mask).</summary>
    public string PathOf(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));
    }
}
