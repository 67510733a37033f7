using System.Globalization;
using System.Runtime.ExceptionServices;
using Gaze.Errors;
using Gaze.Imaging;

namespace Gaze.Datasets;

/// <summary>
/// Writes a generated shapes data set to disk as an ImageFolder tree with an answer sheet:
/// <code>
/// DIR/&lt;class&gt;/&lt;n&gt;.png     the images, one folder per class
/// DIR/masks/&lt;n&gt;.png       8-bit grayscale object masks (255 on the object)
/// DIR/annotations.json      classes, and per image its file, class, box and mask (see <see cref="AnnotationsFile"/>)
/// </code>
/// <c>n</c> is the sample index, zero-padded to a common width. Classes take turns (see
/// <see cref="ShapesGenerator.ClassOf"/>), so they are balanced. Every file is written atomically and
/// <c>annotations.json</c> last: a data set with an annotations file is complete.
/// </summary>
public static class ShapesDataset
{
    /// <summary>The sub-directory holding the masks.</summary>
    public const string MasksDirectory = "masks";

    /// <summary>Generates <paramref name="count"/> samples and writes them into <paramref name="directory"/>.</summary>
    /// <param name="directory">Output directory; created if missing, and must be empty if it exists.</param>
    /// <param name="count">Number of images, at least 1.</param>
    /// <param name="seed">The generator's seed: the same seed, count and size always write the same files.</param>
    /// <param name="size">Image side in pixels (see <see cref="ShapesGenerator"/>).</param>
    /// <param name="progress">Told the number of images written so far; called from worker threads.</param>
    /// <param name="cancellationToken">
    /// Stops the writing. An incomplete data set (no annotations file) is of no use, so what this call wrote is removed:
    /// <paramref name="directory"/> itself if the call created it, else its contents (it was empty).
    /// </param>
    /// <returns>The annotations as written, paths relative to <paramref name="directory"/>.</returns>
    /// <exception cref="InvalidOptionException"><paramref name="count"/> (<c>--count</c>) or <paramref name="size"/> (<c>--size</c>)
    /// is out of range, or <paramref name="directory"/> (<c>--out</c>) is blank, a file or a directory that is not empty.</exception>
    /// <exception cref="OutputFileException">A file or directory cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; what was written is removed.</exception>
    public static AnnotationSet Write(string directory, int count, int seed, int size = ShapesGenerator.DefaultSize,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ValidateCount(count);
        var generator = new ShapesGenerator(seed, size);
        bool created = !Directory.Exists(directory);
        PrepareDirectory(directory);

        string numberFormat = new('0', Math.Max(4, (count - 1).ToString(CultureInfo.InvariantCulture).Length));
        var images = new ImageAnnotation[count];
        int written = 0;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        try
        {
            // Each sample depends only on (seed, index), so the files are the same whatever the scheduling.
            Parallel.For(0, count, options, index =>
            {
                var sample = generator.Generate(index);
                string number = index.ToString(numberFormat, CultureInfo.InvariantCulture);
                var annotation = new ImageAnnotation(
                    File: $"{sample.ClassName}/{number}.png",
                    ClassName: sample.ClassName,
                    Box: sample.Box,
                    Mask: $"{MasksDirectory}/{number}.png");
                ImageEncoder.Write(Path.Combine(directory, sample.ClassName, number + ".png"), sample.Image);
                GrayPngEncoder.Write(Path.Combine(directory, MasksDirectory, number + ".png"), sample.Mask);
                images[index] = annotation;
                progress?.Report(Interlocked.Increment(ref written));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(inner => inner is GazeException) is { } gazeError)
        {
            // A user-facing problem (a full disk, say) keeps its own one-line message.
            ExceptionDispatchInfo.Capture(gazeError).Throw();
            throw;
        }
        catch (OperationCanceledException)
        {
            // Parallel.For has waited for the images in flight, so nothing is written after this.
            Remove(directory, created);
            throw;
        }

        var annotations = new AnnotationSet(ShapeClassNames.AllNames, images, Path.GetFullPath(directory));
        AnnotationsFile.Write(Path.Combine(directory, AnnotationsFile.FileName), annotations);
        return annotations;
    }

    /// <summary>Checks an image count.</summary>
    /// <exception cref="InvalidOptionException">It is below 1 (names <c>--count</c>).</exception>
    public static void ValidateCount(int count)
    {
        if (count < 1)
            throw new InvalidOptionException("--count", $"must be at least 1, got {count.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Removes what an interrupted <see cref="Write"/> left: <paramref name="directory"/> when the call created it,
    /// else everything in it (it was empty before).
    /// </summary>
    /// <param name="directory">The output directory.</param>
    /// <param name="created">Whether the call created it.</param>
    public static void Remove(string directory, bool created)
    {
        try
        {
            if (created)
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
                return;
            }
            foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(directory, $"cannot remove the incomplete data set: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Creates the directory tree; refuses a non-empty directory, whose old files would mix with the new set.</summary>
    private static void PrepareDirectory(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new InvalidOptionException("--out", "needs a directory path");
        if (File.Exists(directory)) throw new InvalidOptionException("--out", $"'{directory}' is a file, not a directory");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new InvalidOptionException("--out", $"directory '{directory}' is not empty; choose a new or empty directory");
        try
        {
            foreach (string name in ShapeClassNames.AllNames.Append(MasksDirectory))
                Directory.CreateDirectory(Path.Combine(directory, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(directory, $"cannot create the directory: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
