using Gaze.Errors;
using Gaze.Imaging;
using Gaze.IO;

namespace Gaze.Reporting;

/// <summary>
/// A picture the HTML report inlines as a <c>data:</c> URI: encoded bytes held in memory, or a file in the output
/// directory read when the report is written (so that many overlays do not have to stay in memory).
/// </summary>
public sealed class EmbeddedImage
{
    /// <summary>JPEG quality of shrunk pictures: small files, no visible loss at report sizes.</summary>
    public const int ShrunkJpegQuality = 90;

    private readonly byte[]? bytes;
    private readonly string? file;

    private EmbeddedImage(string mediaType, int width, int height, byte[]? bytes, string? file)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"picture size must be positive, got {width}x{height}");
        MediaType = mediaType;
        Width = width;
        Height = height;
        this.bytes = bytes;
        this.file = file;
    }

    /// <summary>The MIME type, <c>image/png</c> or <c>image/jpeg</c>.</summary>
    public string MediaType { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>A picture whose encoded bytes are <paramref name="bytes"/>.</summary>
    public static EmbeddedImage FromBytes(string mediaType, int width, int height, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentNullException.ThrowIfNull(bytes);
        return new EmbeddedImage(mediaType, width, height, bytes, null);
    }

    /// <summary>A picture stored in <paramref name="path"/>, read only when the report is written.</summary>
    public static EmbeddedImage FromFile(string mediaType, int width, int height, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new EmbeddedImage(mediaType, width, height, null, Path.GetFullPath(path));
    }

    /// <summary>
    /// <paramref name="image"/> for display within <paramref name="maxSide"/> pixels: as lossless PNG when it fits,
    /// otherwise shrunk to fit (keeping its aspect ratio) and stored as JPEG.
    /// </summary>
    public static EmbeddedImage Encode(RgbImage image, int maxSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = ReportImageSize.Fit(image.Width, image.Height, maxSide);
        bool fits = width == image.Width && height == image.Height;
        var picture = fits ? image : ImageResampler.Resize(image, width, height);
        var format = fits ? ImageFileFormat.Png : ImageFileFormat.Jpeg;
        using var buffer = new MemoryStream();
        ImageEncoder.Encode(picture, format, ShrunkJpegQuality, buffer);
        return FromBytes(fits ? "image/png" : "image/jpeg", width, height, buffer.ToArray());
    }

    /// <summary>
    /// Like <see cref="Encode"/>, but the encoded picture goes to <paramref name="path"/> and is read back only when
    /// the report is written, so that long runs do not hold every picture in memory.
    /// </summary>
    public static EmbeddedImage EncodeToFile(RgbImage image, int maxSide, string path)
    {
        EmbeddedImage encoded = Encode(image, maxSide);
        AtomicFile.WriteAllBytes(path, encoded.bytes!);
        return FromFile(encoded.MediaType, encoded.Width, encoded.Height, path);
    }

    /// <summary>The encoded bytes.</summary>
    /// <exception cref="InputFileNotFoundException">A file-backed picture's file is gone.</exception>
    /// <exception cref="GazeFileException">It cannot be read.</exception>
    public byte[] ReadBytes()
    {
        if (bytes is not null) return bytes;
        string file = this.file!;
        if (!File.Exists(file)) throw new InputFileNotFoundException(file);
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GazeFileException(file, "cannot read: " + e.Message.ReplaceLineEndings(" "), e);
        }
    }

    /// <summary>The picture as a <c>data:</c> URI, e.g. <c>data:image/png;base64,...</c>.</summary>
    public string ToDataUri() => $"data:{MediaType};base64,{Convert.ToBase64String(ReadBytes())}";
}
