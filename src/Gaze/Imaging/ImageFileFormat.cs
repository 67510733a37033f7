namespace Gaze.Imaging;

/// <summary>The image file formats Gaze writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG: lossless, exact pixels (<c>.png</c>).</summary>
    Png,

    /// <summary>JPEG: lossy, smaller (<c>.jpg</c>, <c>.jpeg</c>).</summary>
    Jpeg,
}
