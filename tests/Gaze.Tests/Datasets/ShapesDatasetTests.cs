using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Tests.Support;

namespace Gaze.Tests.Datasets;

public class ShapesDatasetTests
{
    private const int Count = 24; // three per class

    /// <summary>Every file under <paramref name="root"/> by relative path, with its bytes.</summary>
    private static SortedDictionary<string, byte[]> Files(string root) =>
        new(Directory.GetFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes),
            StringComparer.Ordinal);

    [Fact]
    public void Writes_an_image_folder_tree_with_masks_and_annotations()
    {
        using var directory = new TempDirectory();
        string root = directory.File("shapes");
        var written = ShapesDataset.Write(root, Count, seed: 4);

        // Layout: one folder per class plus masks, and the annotations file; nothing else (no temporary files).
        Assert.Equal(ShapeClassNames.AllNames.Append("masks").Order(StringComparer.Ordinal),
            Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([AnnotationsFile.FileName], Directory.GetFiles(root).Select(Path.GetFileName));
        foreach (string name in ShapeClassNames.AllNames)
            Assert.Equal(Count / ShapeClassNames.Count, Directory.GetFiles(Path.Combine(root, name), "*.png").Length);
        Assert.Equal(Count, Directory.GetFiles(Path.Combine(root, "masks"), "*.png").Length);
        Assert.Equal(2 * Count + 1, Files(root).Count);

        var read = AnnotationsFile.Read(root);
        Assert.Equal(ShapeClassNames.AllNames, read.Classes);
        Assert.Equal(written.Images, read.Images);
        Assert.Equal(Path.GetFullPath(root), read.Directory);

        var generator = new ShapesGenerator(seed: 4);
        for (int index = 0; index < Count; index++)
        {
            var entry = read.Images[index];
            var sample = generator.Generate(index);
            string number = index.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"{sample.ClassName}/{number}.png", entry.File);
            Assert.Equal($"masks/{number}.png", entry.Mask);
            Assert.Equal(sample.ClassName, entry.ClassName);
            Assert.Equal(sample.Box, entry.Box);
            Assert.Equal(sample.ClassIndex, read.ClassIndexOf(entry));

            // PNG is lossless: the files hold exactly the generated pixels.
            var image = ImageDecoder.Load(read.PathOf(entry.File));
            Assert.Equal((128, 128), (image.Width, image.Height));
            Assert.Equal(sample.Image.Pixels, image.Pixels);
            // The decoder turns the gray mask into RGB with three equal channels.
            var mask = ImageDecoder.Load(read.PathOf(entry.Mask!));
            Assert.Equal(sample.Mask.Pixels, Enumerable.Range(0, 128 * 128).Select(p => mask.Pixels[3 * p]));
        }
    }

    [Fact]
    public void The_same_seed_writes_byte_identical_files_and_another_seed_does_not()
    {
        using var directory = new TempDirectory();
        var first = Files(WriteSet(directory, "a", seed: 9));
        var second = Files(WriteSet(directory, "b", seed: 9));
        var other = Files(WriteSet(directory, "c", seed: 10));

        Assert.Equal(first.Keys, second.Keys);
        foreach (var (name, bytes) in first) Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between runs");

        Assert.Equal(first.Keys, other.Keys); // same names: the layout depends only on the count
        Assert.All(first.Where(f => f.Key.EndsWith(".png", StringComparison.Ordinal)),
            f => Assert.False(f.Value.AsSpan().SequenceEqual(other[f.Key]), $"{f.Key} is the same with another seed"));
        Assert.NotEqual(first[AnnotationsFile.FileName], other[AnnotationsFile.FileName]);
    }

    private static string WriteSet(TempDirectory directory, string name, int seed)
    {
        string root = directory.File(name);
        ShapesDataset.Write(root, 16, seed);
        return root;
    }

    [Fact]
    public void Numbers_are_padded_to_the_widest_index_and_progress_counts_every_image()
    {
        using var directory = new TempDirectory();
        int reports = 0, highest = 0;
        var progress = new SynchronousProgress(done =>
        {
            Interlocked.Increment(ref reports);
            InterlockedMax(ref highest, done);
        });
        var annotations = ShapesDataset.Write(directory.File("set"), 3, seed: 1, size: 48, progress);
        Assert.Equal(["circle/0000.png", "cross/0001.png", "heart/0002.png"], annotations.Images.Select(i => i.File));
        Assert.Equal((3, 3), (reports, highest));
        Assert.Equal(48, ImageDecoder.Load(annotations.PathOf(annotations.Images[0].File)).Width);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    /// <summary>Reports on the calling thread (unlike <see cref="Progress{T}"/>), so counts are complete when Write returns.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    [Theory]
    [InlineData(0, 128, "--count")]
    [InlineData(-5, 128, "--count")]
    [InlineData(10, 16, "--size")]
    [InlineData(10, 5000, "--size")]
    public void Bad_options_name_the_option_and_write_nothing(int count, int size, string option)
    {
        using var directory = new TempDirectory();
        string root = directory.File("set");
        var error = Assert.Throws<InvalidOptionException>(() => ShapesDataset.Write(root, count, seed: 1, size));
        Assert.Equal(option, error.Option);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void A_directory_that_is_not_empty_or_is_a_file_is_refused()
    {
        using var directory = new TempDirectory();
        string root = directory.File("set");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "old.txt"), "keep me");
        var error = Assert.Throws<InvalidOptionException>(() => ShapesDataset.Write(root, 4, seed: 1));
        Assert.Equal("--out", error.Option);
        Assert.Contains("not empty", error.Message);
        Assert.Single(Directory.GetFileSystemEntries(root));

        string file = directory.File("file.txt");
        File.WriteAllText(file, "x");
        Assert.Equal("--out", Assert.Throws<InvalidOptionException>(() => ShapesDataset.Write(file, 4, seed: 1)).Option);

        // An existing empty directory is fine.
        string empty = directory.File("empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(4, ShapesDataset.Write(empty, 4, seed: 1).Images.Count);
    }

    [Fact]
    public void A_run_cancelled_midway_removes_the_directory_it_created()
    {
        using var directory = new TempDirectory();
        string root = directory.File("set");
        using var cancellation = new CancellationTokenSource();
        int written = 0;
        var progress = new SynchronousProgress(done =>
        {
            InterlockedMax(ref written, done);
            if (done >= 10) cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => ShapesDataset.Write(root, 5000, seed: 1, size: 32, progress, cancellation.Token));

        Assert.InRange(written, 10, 4999);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void A_run_cancelled_midway_empties_the_empty_directory_it_was_given()
    {
        using var directory = new TempDirectory();
        string root = directory.File("set");
        Directory.CreateDirectory(root);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(done =>
        {
            if (done >= 10) cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => ShapesDataset.Write(root, 5000, seed: 1, size: 32, progress, cancellation.Token));

        Assert.True(Directory.Exists(root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void A_run_cancelled_before_it_starts_leaves_nothing()
    {
        using var directory = new TempDirectory();
        string root = directory.File("set");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ShapesDataset.Write(root, 50, seed: 1, cancellationToken: cancellation.Token));
        Assert.False(Directory.Exists(root));
    }
}
