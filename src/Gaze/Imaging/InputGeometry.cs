using Gaze.Models;

namespace Gaze.Imaging;

/// <summary>
/// Where a model input came from in the original image: the image was scaled to
/// <see cref="ResizedWidth"/> x <see cref="ResizedHeight"/>, then the input was cut out at
/// (<see cref="CropLeft"/>, <see cref="CropTop"/>). Maps points both ways, e.g. to lay a heatmap over the original.
/// Coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1), its centre is (i + 0.5, j + 0.5).
/// </summary>
/// <param name="SourceWidth">Original image width.</param>
/// <param name="SourceHeight">Original image height.</param>
/// <param name="ResizedWidth">Width after scaling, before cropping.</param>
/// <param name="ResizedHeight">Height after scaling, before cropping.</param>
/// <param name="CropLeft">First column of the scaled image that is in the input.</param>
/// <param name="CropTop">First row of the scaled image that is in the input.</param>
/// <param name="InputWidth">Model input width.</param>
/// <param name="InputHeight">Model input height.</param>
public sealed record InputGeometry(
    int SourceWidth, int SourceHeight, int ResizedWidth, int ResizedHeight,
    int CropLeft, int CropTop, int InputWidth, int InputHeight)
{
    /// <summary>The share of the input side that center-crop keeps (torchvision: 224 of 256).</summary>
    public const double CenterCropFraction = 0.875;

    /// <summary>
    /// The geometry <paramref name="input"/>'s resize mode gives an image of <paramref name="width"/> x
    /// <paramref name="height"/>. Center-crop follows torchvision's <c>Resize(int(size / 0.875))</c> then
    /// <c>CenterCrop(size)</c>: the binding side becomes size / 0.875 rounded down (256 for 224), the other side is
    /// scaled with the same aspect ratio and truncated, and the crop starts at <c>round((resized - size) / 2)</c>
    /// with round-half-to-even, as Python rounds.
    /// </summary>
    public static InputGeometry For(ModelInput input, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}x{height}");
        int inputWidth = input.Size.Width, inputHeight = input.Size.Height;
        if (input.Resize == ResizeMode.Stretch)
            return new InputGeometry(width, height, inputWidth, inputHeight, 0, 0, inputWidth, inputHeight);

        int targetHeight = (int)Math.Floor(inputHeight / CenterCropFraction);
        int targetWidth = (int)Math.Floor(inputWidth / CenterCropFraction);
        int resizedWidth, resizedHeight;
        // The side needing the larger scale is exact; the other follows the aspect ratio (for a square input:
        // the shorter side becomes the target). Integer products keep the comparison exact.
        if ((long)targetHeight * width >= (long)targetWidth * height)
        {
            resizedHeight = targetHeight;
            resizedWidth = (int)((double)((long)targetHeight * width) / height);
        }
        else
        {
            resizedWidth = targetWidth;
            resizedHeight = (int)((double)((long)targetWidth * height) / width);
        }
        int cropTop = (int)Math.Round((resizedHeight - inputHeight) / 2.0, MidpointRounding.ToEven);
        int cropLeft = (int)Math.Round((resizedWidth - inputWidth) / 2.0, MidpointRounding.ToEven);
        return new InputGeometry(width, height, resizedWidth, resizedHeight, cropLeft, cropTop, inputWidth, inputHeight);
    }

    /// <summary>Horizontal scale from the original to the scaled image.</summary>
    public double ScaleX => (double)ResizedWidth / SourceWidth;

    /// <summary>Vertical scale from the original to the scaled image.</summary>
    public double ScaleY => (double)ResizedHeight / SourceHeight;

    /// <summary>The point of the original image that input point (<paramref name="x"/>, <paramref name="y"/>) shows.</summary>
    public (double X, double Y) ToSource(double x, double y) => ((x + CropLeft) / ScaleX, (y + CropTop) / ScaleY);

    /// <summary>Where original point (<paramref name="x"/>, <paramref name="y"/>) lies in the input (may be outside it).</summary>
    public (double X, double Y) ToInput(double x, double y) => (x * ScaleX - CropLeft, y * ScaleY - CropTop);

    /// <summary>The rectangle of the original image that the input covers.</summary>
    public (double Left, double Top, double Width, double Height) SourceRegion =>
        (CropLeft / ScaleX, CropTop / ScaleY, InputWidth / ScaleX, InputHeight / ScaleY);
}
