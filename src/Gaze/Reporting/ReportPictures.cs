namespace Gaze.Reporting;

/// <summary>
/// The pictures the HTML report inlines beside a <see cref="ResultsDocument"/>: a thumbnail of each decoded image
/// (by its index in <see cref="ResultsDocument.Images"/>) and a display copy of each overlay (by its relative path).
/// </summary>
public sealed class ReportPictures
{
    private readonly Dictionary<int, EmbeddedImage> thumbnails = [];
    private readonly Dictionary<string, EmbeddedImage> overlays = new(StringComparer.Ordinal);

    /// <summary>Sets the thumbnail of image number <paramref name="imageIndex"/>.</summary>
    public void SetThumbnail(int imageIndex, EmbeddedImage picture)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(imageIndex);
        ArgumentNullException.ThrowIfNull(picture);
        thumbnails[imageIndex] = picture;
    }

    /// <summary>Sets the picture shown for the overlay whose relative path is <paramref name="overlayPath"/>.</summary>
    public void SetOverlay(string overlayPath, EmbeddedImage picture)
    {
        ArgumentException.ThrowIfNullOrEmpty(overlayPath);
        ArgumentNullException.ThrowIfNull(picture);
        overlays[overlayPath] = picture;
    }

    /// <summary>The thumbnail of image number <paramref name="imageIndex"/>, if any.</summary>
    public EmbeddedImage? Thumbnail(int imageIndex) => thumbnails.GetValueOrDefault(imageIndex);

    /// <summary>The picture for the overlay at <paramref name="overlayPath"/>, if any.</summary>
    public EmbeddedImage? Overlay(string overlayPath) => overlays.GetValueOrDefault(overlayPath);
}
