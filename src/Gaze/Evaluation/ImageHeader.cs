using Gaze.Errors;
using Gaze.Imaging;
using Gaze.IO;
using SkiaSharp;

namespace Gaze.Evaluation;

/// <summary>
/// An image file's upright size read from its header alone, so that ground truth can be checked against thousands
/// of images before any is decoded.
/// </summary>
internal static class ImageHeader
{
    // Enough for every signature ImageSignature knows.
    private const int SignatureBytes = 16;

    /// <summary>
    /// Width and height of the image at <paramref name="path"/> as <see cref="ImageDecoder.Load"/> returns it, i.e.
    /// after the EXIF orientation (a quarter turn swaps them).
    /// </summary>
    /// <exception cref="InputFileNotFoundException">There is no such file.</exception>
    /// <exception cref="ImageDecodeException">The file is empty, not a regular file or not a supported image.</exception>
    /// <exception cref="GazeFileException">The file cannot be read.</exception>
    public static (int Width, int Height) SizeOf(string path)
    {
        if (FileKind.NonRegular(path) is { } kind) throw new ImageDecodeException(path, $"is {kind}, not an image file");
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length == 0) throw new ImageDecodeException(path, "empty file");
            var head = new byte[SignatureBytes];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            string? format = ImageSignature.Recognise(head.AsSpan(0, read));
            if (format is null) throw new ImageDecodeException(path, $"not a supported image ({ImageDecoder.SupportedFormats})");
            stream.Position = 0;
            // The codec reads the header only; pixels are decoded on demand, which never happens here.
            using var codec = SKCodec.Create(stream)
                ?? throw new ImageDecodeException(path, $"truncated or corrupt {format} data");
            int width = codec.Info.Width, height = codec.Info.Height;
            bool turned = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
                or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
            return turned ? (height, width) : (width, height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GazeFileException(path, $"cannot read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
