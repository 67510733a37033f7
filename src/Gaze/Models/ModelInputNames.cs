namespace Gaze.Models;

/// <summary>
/// The words the sidecar and the command line use for <see cref="TensorLayout"/>, <see cref="ChannelOrder"/> and
/// <see cref="ResizeMode"/>, in one place so both read and print them the same way.
/// </summary>
public static class ModelInputNames
{
    /// <summary>The accepted layout words.</summary>
    public const string Layouts = "NCHW or NHWC";

    /// <summary>The accepted channel words.</summary>
    public const string ChannelOrders = "RGB, BGR or GRAY";

    /// <summary>The accepted resize words.</summary>
    public const string ResizeModes = "stretch or center-crop";

    /// <summary>Reads <c>NCHW</c> or <c>NHWC</c> (any case).</summary>
    public static bool TryParseLayout(string text, out TensorLayout layout)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "NCHW": layout = TensorLayout.NCHW; return true;
            case "NHWC": layout = TensorLayout.NHWC; return true;
            default: layout = default; return false;
        }
    }

    /// <summary>Reads <c>RGB</c>, <c>BGR</c> or <c>GRAY</c> (any case; <c>GREY</c> too).</summary>
    public static bool TryParseChannels(string text, out ChannelOrder channels)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "RGB": channels = ChannelOrder.RGB; return true;
            case "BGR": channels = ChannelOrder.BGR; return true;
            case "GRAY" or "GREY": channels = ChannelOrder.GRAY; return true;
            default: channels = default; return false;
        }
    }

    /// <summary>Reads <c>stretch</c> or <c>center-crop</c> (any case; <c>centre-crop</c> and <c>center_crop</c> too).</summary>
    public static bool TryParseResize(string text, out ResizeMode resize)
    {
        switch (text.Trim().ToLowerInvariant().Replace('_', '-'))
        {
            case "stretch": resize = ResizeMode.Stretch; return true;
            case "center-crop" or "centre-crop": resize = ResizeMode.CenterCrop; return true;
            default: resize = default; return false;
        }
    }

    /// <summary>The sidecar word for <paramref name="layout"/>.</summary>
    public static string Name(TensorLayout layout) => layout.ToString();

    /// <summary>The sidecar word for <paramref name="channels"/>.</summary>
    public static string Name(ChannelOrder channels) => channels.ToString();

    /// <summary>The sidecar word for <paramref name="resize"/>.</summary>
    public static string Name(ResizeMode resize) => resize == ResizeMode.CenterCrop ? "center-crop" : "stretch";
}
