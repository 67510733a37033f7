namespace Gaze.Models;

/// <summary>How an image of any size is brought to the model's input size.</summary>
public enum ResizeMode
{
    /// <summary>Scale each axis independently to the input size; the aspect ratio may change.</summary>
    Stretch,

    /// <summary>
    /// The torchvision evaluation transform: scale so the shorter side becomes size / 0.875 (256 for 224),
    /// keeping the aspect ratio, then cut the input size out of the centre.
    /// </summary>
    CenterCrop,
}
