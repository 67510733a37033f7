namespace Gaze.Models;

/// <summary>
/// Named preprocessing conventions of the usual model families, for a sidecar's <c>input.preset</c> or
/// <c>--preset</c>. A preset sets channel order, range, mean, std and resize; size and layout still come from the
/// graph, the sidecar or the options. The Keras ones follow <c>keras.applications</c>' <c>preprocess_input</c> modes,
/// and Keras loads images at the target size without cropping (stretch).
/// </summary>
public static class InputPresets
{
    private static readonly Dictionary<string, Func<ModelInput, ModelInput>> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        // 'caffe' mode: BGR, 0..255, ImageNet means subtracted, no scaling (VGG16, VGG19, ResNet50).
        ["keras-caffe"] = input => input with
        {
            Channels = ChannelOrder.BGR,
            Range = 255,
            Mean = [103.939, 116.779, 123.68],
            Std = [1],
            Resize = ResizeMode.Stretch,
        },
        // 'tf' mode: RGB scaled to [-1, 1] (InceptionV3, MobileNet, Xception): (v/255 - 0.5) / 0.5 = v/127.5 - 1.
        ["keras-tf"] = input => input with
        {
            Channels = ChannelOrder.RGB,
            Range = 1,
            Mean = [0.5],
            Std = [0.5],
            Resize = ResizeMode.Stretch,
        },
        // 'torch' mode: RGB, 0..1, ImageNet mean and std (DenseNet).
        ["keras-torch"] = input => ImageNet(input, ResizeMode.Stretch),
        // torchvision's ImageNet transforms: the same normalisation, centre crop.
        ["torchvision"] = input => ImageNet(input, ResizeMode.CenterCrop),
    };

    /// <summary>The preset names, for help and messages.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Presets.Keys];

    /// <summary>The names joined for a message: "keras-caffe, keras-tf, keras-torch or torchvision".</summary>
    public static string NameList => string.Join(", ", Names.Take(Names.Count - 1)) + " or " + Names[^1];

    /// <summary>The preset's canonical name (case-insensitive match), or null when there is none.</summary>
    public static string? Find(string name) => Presets.Keys.FirstOrDefault(k => string.Equals(k, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary><paramref name="input"/> with preset <paramref name="name"/>'s channel order, normalisation and resize.</summary>
    /// <exception cref="KeyNotFoundException">No such preset (check with <see cref="Find"/> first).</exception>
    public static ModelInput Apply(string name, ModelInput input) => Presets[name](input);

    /// <summary>RGB, 0..1, ImageNet mean and std (<see cref="ModelInput.Default"/>'s normalisation).</summary>
    private static ModelInput ImageNet(ModelInput input, ResizeMode resize) => input with
    {
        Channels = ChannelOrder.RGB,
        Range = 1,
        Mean = ModelInput.Default.Mean,
        Std = ModelInput.Default.Std,
        Resize = resize,
    };
}
