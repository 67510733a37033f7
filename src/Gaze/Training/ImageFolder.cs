using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Imaging;

namespace Gaze.Training;

/// <summary>One image of an <see cref="ImageFolder"/> and its class.</summary>
/// <param name="Path">The image file.</param>
/// <param name="ClassIndex">Index into <see cref="ImageFolder.Classes"/>.</param>
public sealed record LabeledImage(string Path, int ClassIndex);

/// <summary>The training and validation images of a split, in a fixed order.</summary>
/// <param name="Train">Images to train on.</param>
/// <param name="Validation">Images held out to measure accuracy.</param>
public sealed record DataSplit(IReadOnlyList<LabeledImage> Train, IReadOnlyList<LabeledImage> Validation);

/// <summary>
/// A labelled image tree in the torchvision ImageFolder layout: <c>DIR/&lt;class&gt;/.../&lt;image&gt;</c>. Classes are the
/// sub-folders that hold images (searched recursively), sorted by name (ordinal), so class indices are the same
/// everywhere. Files without an image extension (<see cref="ImageDecoder.SupportedExtensions"/>), files directly in
/// DIR, hidden folders and, when DIR holds a generated data set's <c>annotations.json</c>, its <c>masks</c> folder
/// are not classes.
/// </summary>
public sealed class ImageFolder
{
    private ImageFolder(string root, IReadOnlyList<string> classes, IReadOnlyList<LabeledImage> images)
    {
        Root = root;
        Classes = classes;
        Images = images;
    }

    /// <summary>The folder, as the caller named it.</summary>
    public string Root { get; }

    /// <summary>Class names (the folder names), sorted; index = class.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every image file found, by class and then path (ordinal).</summary>
    public IReadOnlyList<LabeledImage> Images { get; }

    /// <summary>Lists the classes and image files of <paramref name="root"/>. Nothing is decoded yet.</summary>
    /// <exception cref="TrainingDataException">The folder does not exist, cannot be listed, has no class folder
    /// with images, or has only one.</exception>
    public static ImageFolder Scan(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
            throw new TrainingDataException(root, File.Exists(root) ? "is a file; expected a folder of class folders (DIR/<class>/<image>)" : "no such folder");
        try
        {
            bool generated = File.Exists(Path.Combine(root, AnnotationsFile.FileName));
            var classes = new List<string>();
            var images = new List<LabeledImage>();
            var folders = Directory.EnumerateDirectories(root).Select(d => Path.GetFileName(d)!)
                .Where(name => !name.StartsWith('.'))
                .Where(name => !(generated && name == ShapesDataset.MasksDirectory))
                .Order(StringComparer.Ordinal);
            foreach (string name in folders)
            {
                var files = Directory.EnumerateFiles(Path.Combine(root, name), "*", SearchOption.AllDirectories)
                    .Where(ImageDecoder.HasSupportedExtension)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0) continue;
                images.AddRange(files.Select(f => new LabeledImage(f, classes.Count)));
                classes.Add(name);
            }
            if (classes.Count == 0)
            {
                bool loose = Directory.EnumerateFiles(root).Any(ImageDecoder.HasSupportedExtension);
                throw new TrainingDataException(root, loose
                    ? "holds images but no class folders; put each class's images in a folder of its own (DIR/<class>/<image>)"
                    : "holds no class folders with images (expected DIR/<class>/<image>)");
            }
            if (classes.Count == 1)
                throw new TrainingDataException(root, $"has only one class folder with images ('{classes[0]}'); fine-tuning needs at least two classes");
            return new ImageFolder(root, classes.AsReadOnly(), images.AsReadOnly());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrainingDataException(root, $"cannot list: {e.Message}", e);
        }
    }

    /// <summary>
    /// Splits <paramref name="images"/> (a subset of <see cref="Images"/>, for example the readable ones) into training
    /// and validation images, class by class so that every class with two or more images has at least one of each:
    /// a seeded shuffle of each class, the first round(n x <paramref name="validationFraction"/>) held out.
    /// </summary>
    /// <param name="images">The images to split.</param>
    /// <param name="validationFraction">Share of each class to hold out, above 0 and below 1.</param>
    /// <param name="seed">The shuffle's seed: the same images, fraction and seed give the same split.</param>
    /// <exception cref="InvalidOptionException">The fraction (<c>--val-fraction</c>) is out of range.</exception>
    /// <exception cref="TrainingDataException">No class has two images, so nothing can be held out.</exception>
    public DataSplit Split(IReadOnlyList<LabeledImage> images, double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new InvalidOptionException("--val-fraction", $"must be above 0 and below 1, got {validationFraction}");
        var train = new List<LabeledImage>();
        var validation = new List<LabeledImage>();
        foreach (var group in images.GroupBy(i => i.ClassIndex).OrderBy(g => g.Key))
        {
            var members = group.OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
            Shuffle(members, new SplitMix64(SplitMix64.Mix((ulong)(uint)seed) ^ (ulong)group.Key));
            int held = members.Count < 2 ? 0 : Math.Clamp((int)Math.Round(members.Count * validationFraction), 1, members.Count - 1);
            validation.AddRange(members.Take(held));
            train.AddRange(members.Skip(held));
        }
        if (validation.Count == 0)
            throw new TrainingDataException(Root, "has too few readable images to hold out a validation split (a class needs at least two)");
        return new DataSplit(train.AsReadOnly(), validation.AsReadOnly());
    }

    /// <summary>Fisher-Yates with <paramref name="random"/>; shared by the split and the epoch order.</summary>
    internal static void Shuffle<T>(IList<T> items, SplitMix64 random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = (int)(random.Next() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
