using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Rendering;

namespace Gaze.Reporting;

/// <summary>
/// Writes an explanation run into an output directory: per image, target and method the overlay PNG and the
/// heatmap and raw maps as <c>.npy</c> (see <see cref="ImageExplanationWriter.Add"/>), then <c>results.json</c> and
/// <c>report.html</c> (<see cref="Finish()"/>). Every file is written atomically.
/// </summary>
/// <remarks>
/// Layout: <c>&lt;image&gt;/&lt;method&gt;-&lt;target&gt;-overlay.png</c>, <c>-heatmap.npy</c> and <c>-raw.npy</c>, where
/// <c>&lt;image&gt;</c> is the image's file name without extension made file-system safe, with <c>-2</c>, <c>-3</c> ...
/// appended for later images of the same name (in input order, compared case-insensitively). The methods are safe
/// to call from several threads; entries keep the order of the calls.
/// </remarks>
public sealed class ExplanationWriter
{
    /// <summary>The results file's name in the output directory.</summary>
    public const string ResultsFileName = "results.json";

    /// <summary>The report's name in the output directory.</summary>
    public const string ReportFileName = "report.html";

    private readonly object gate = new();
    private readonly List<ImageState> images = [];
    private readonly OutputNames folders = new();
    private readonly ReportPictures pictures = new();
    private bool finished;

    /// <summary>Starts a run that writes into <paramref name="outputDirectory"/>, which must exist (see <see cref="Reporting.OutputDirectory.Prepare"/>).</summary>
    /// <param name="outputDirectory">Where every file goes.</param>
    /// <param name="model">The model; its path may be given in any form and is stored relative to the output directory.</param>
    /// <param name="settings">The run's options; its colormap and opacity are used for the overlays.</param>
    /// <param name="gazeVersion">The version to record; <see cref="GazeVersion.Current"/> by default.</param>
    /// <exception cref="OutputFileException">The output directory does not exist.</exception>
    /// <exception cref="InvalidOptionException">Unknown colormap (<c>--colormap</c>) or opacity outside [0, 1] (<c>--opacity</c>).</exception>
    public ExplanationWriter(string outputDirectory, ModelSummary model, ExplanationSettings settings, string? gazeVersion = null)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        string full = Path.GetFullPath(outputDirectory);
        if (!Directory.Exists(full)) throw new OutputFileException(outputDirectory, "the output directory does not exist");
        Colormap = Colormap.FromName(settings.Colormap);
        HeatmapRenderer.ValidateOpacity(settings.Opacity);

        OutputDirectory = full;
        Model = model with { Path = OutputNames.Relative(full, model.Path) };
        Settings = settings;
        Version = gazeVersion ?? GazeVersion.Current;
    }

    /// <summary>The output directory's absolute path.</summary>
    public string OutputDirectory { get; }

    /// <summary>The model as recorded (path relative to the output directory).</summary>
    public ModelSummary Model { get; }

    /// <summary>The run's options as recorded.</summary>
    public ExplanationSettings Settings { get; }

    /// <summary>The Gaze version recorded.</summary>
    public string Version { get; }

    /// <summary>The colormap the overlays use.</summary>
    public Colormap Colormap { get; }

    /// <summary>Where <see cref="Finish()"/> writes <c>results.json</c>.</summary>
    public string ResultsPath => Path.Combine(OutputDirectory, ResultsFileName);

    /// <summary>Where <see cref="Finish()"/> writes <c>report.html</c>.</summary>
    public string ReportPath => Path.Combine(OutputDirectory, ReportFileName);

    /// <summary>
    /// Registers a decoded image and creates its folder; add its explanations through the returned writer.
    /// </summary>
    /// <param name="sourcePath">The image file as the user named it; recorded relative to the output directory.</param>
    /// <param name="image">Its pixels, at the original size or reduced; overlays and heatmaps are written at this size.</param>
    /// <param name="predictions">The model's top classes (usually five), most probable first.</param>
    /// <param name="sourceSize">The image file's size when <paramref name="image"/> is a reduced copy (recorded with the scale).</param>
    /// <exception cref="OutputFileException">The image's folder cannot be created.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Finish()"/> was called already.</exception>
    public ImageExplanationWriter AddImage(string sourcePath, RgbImage image, IReadOnlyList<Prediction> predictions,
        (int Width, int Height)? sourceSize = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(predictions);

        string folder;
        lock (gate)
        {
            EnsureOpen();
            folder = folders.Claim(Path.GetFileNameWithoutExtension(sourcePath));
        }
        string folderPath = Path.Combine(OutputDirectory, folder);
        try
        {
            Directory.CreateDirectory(folderPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(folderPath, "cannot create the directory: " + e.Message.ReplaceLineEndings(" "), e);
        }
        var thumbnail = EmbeddedImage.EncodeToFile(image, HtmlReport.ThumbnailMaxSide, PictureCachePath(folder + "-thumbnail"));

        var (width, height) = sourceSize ?? (image.Width, image.Height);
        var state = new ImageState(OutputNames.Relative(OutputDirectory, sourcePath), width, height, [.. predictions], folder)
        {
            OutputScale = (double)image.Width / width,
        };
        lock (gate)
        {
            EnsureOpen();
            pictures.SetThumbnail(images.Count, thumbnail);
            images.Add(state);
        }
        return new ImageExplanationWriter(this, state, image);
    }

    /// <summary>Records an image that could not be explained at all, e.g. because it failed to decode.</summary>
    /// <param name="sourcePath">The image file as the user named it.</param>
    /// <param name="error">A one-line message (line breaks are replaced by spaces).</param>
    /// <exception cref="InvalidOperationException"><see cref="Finish()"/> was called already.</exception>
    public void AddFailedImage(string sourcePath, string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(error);
        var state = new ImageState(OutputNames.Relative(OutputDirectory, sourcePath), null, null, [], null)
        {
            Error = OneLine(error),
        };
        lock (gate)
        {
            EnsureOpen();
            images.Add(state);
        }
    }

    /// <summary>Writes <c>results.json</c> and <c>report.html</c>, atomically, and closes the run.</summary>
    /// <returns>The results as written.</returns>
    /// <exception cref="OutputFileException">A file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public ResultsDocument Finish() => Finish(imagesLeft: 0);

    /// <summary>
    /// Writes <c>results.json</c> and <c>report.html</c> for an interrupted run, marked incomplete with the number of
    /// input images it did not reach (a complete run when that is 0), atomically, and closes the run.
    /// </summary>
    /// <param name="imagesLeft">Input images not reached.</param>
    /// <returns>The results as written.</returns>
    /// <exception cref="OutputFileException">A file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public ResultsDocument Finish(int imagesLeft)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(imagesLeft);
        ResultsDocument results;
        lock (gate)
        {
            EnsureOpen();
            finished = true;
            results = Snapshot() with { Complete = imagesLeft == 0, ImagesLeft = imagesLeft };
        }
        try
        {
            ResultsJson.Write(ResultsPath, results);
            HtmlReport.Write(ReportPath, results, pictures);
        }
        finally
        {
            RemoveTemporaryFiles();
        }
        return results;
    }

    /// <summary>True once an explanation has been recorded for some image.</summary>
    public bool HasExplanations
    {
        get
        {
            lock (gate) return images.Any(i => i.Explanations.Count > 0);
        }
    }

    /// <summary>
    /// Closes the run without writing <c>results.json</c> or <c>report.html</c>: removes the folders of the images
    /// registered so far and the temporary files, so a run that explained nothing leaves nothing behind.
    /// </summary>
    /// <returns>The results as they would have been written.</returns>
    /// <exception cref="InvalidOperationException">The run was finished already.</exception>
    public ResultsDocument Discard()
    {
        List<string> folders;
        ResultsDocument results;
        lock (gate)
        {
            EnsureOpen();
            finished = true;
            results = Snapshot();
            folders = [.. images.Where(i => i.Folder is not null).Select(i => i.Folder!)];
        }
        foreach (string folder in folders) TryDelete(Path.Combine(OutputDirectory, folder));
        RemoveTemporaryFiles();
        return results;
    }

    /// <summary>
    /// Removes, best effort, what the run keeps only while it runs: the report's picture cache and the hidden
    /// temporary files of writes in progress. Safe to call from another thread when the run is abandoned.
    /// </summary>
    public void RemoveTemporaryFiles()
    {
        TryDelete(PictureCacheDirectory);
        try
        {
            foreach (string file in Directory.EnumerateFiles(OutputDirectory, ".*.tmp", SearchOption.AllDirectories))
            {
                try { File.Delete(file); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Where the report's shrunk pictures wait (on disk, not in memory) until <see cref="Finish()"/> inlines them into
    /// report.html; removed afterwards.
    /// </summary>
    private string PictureCacheDirectory => Path.Combine(OutputDirectory, PictureCacheName);

    /// <summary>The picture cache's folder name inside the output directory.</summary>
    internal const string PictureCacheName = ".report-pictures";

    /// <summary>A fresh file in <see cref="PictureCacheDirectory"/> for the picture called <paramref name="name"/>.</summary>
    internal string PictureCachePath(string name)
    {
        Directory.CreateDirectory(PictureCacheDirectory);
        return Path.Combine(PictureCacheDirectory, $"{name.Replace('/', '-')}-{Guid.NewGuid():N}");
    }

    /// <summary>A unique file stem for one explanation inside the image's folder.</summary>
    internal string ClaimStem(ImageState state, string preferred)
    {
        lock (gate)
        {
            EnsureOpen();
            return state.Names.Claim(preferred);
        }
    }

    /// <summary>Appends a written explanation and the picture the report shows for it.</summary>
    internal void Record(ImageState state, ExplanationResult explanation, EmbeddedImage picture, EmbeddedImage? gradientPicture = null)
    {
        lock (gate)
        {
            EnsureOpen();
            state.Explanations.Add(explanation);
            pictures.SetOverlay(explanation.Overlay, picture);
            if (gradientPicture is not null) pictures.SetOverlay(explanation.Gradient!, gradientPicture);
        }
    }

    /// <summary>Notes an error for an image that is otherwise (partly) explained.</summary>
    internal void RecordError(ImageState state, string error)
    {
        lock (gate)
        {
            EnsureOpen();
            state.Error = state.Error is null ? OneLine(error) : $"{state.Error}; {OneLine(error)}";
        }
    }

    private void EnsureOpen()
    {
        if (finished) throw new InvalidOperationException("the results were already written; start a new ExplanationWriter");
    }

    private ResultsDocument Snapshot() => new()
    {
        Gaze = Version,
        Model = Model,
        Settings = Settings,
        Images = [.. images.Select(image => image.ToResult())],
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>What the writer knows about one image while the run goes on.</summary>
    internal sealed class ImageState(string path, int? width, int? height, IReadOnlyList<Prediction> predictions, string? folder)
    {
        public string? Folder { get; } = folder;
        public OutputNames Names { get; } = new();
        public List<ExplanationResult> Explanations { get; } = [];
        public string? Error { get; set; }
        public double? OutputScale { get; init; }

        public ImageResult ToResult() => new()
        {
            Path = path,
            Width = width,
            Height = height,
            OutputScale = OutputScale,
            Predictions = predictions,
            Explanations = [.. Explanations],
            Error = Error,
        };
    }
}
