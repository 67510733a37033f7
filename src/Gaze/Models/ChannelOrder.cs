namespace Gaze.Models;

/// <summary>Which colour channels a model expects, in order.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (torchvision, Keras).</summary>
    RGB,

    /// <summary>Blue, green, red (Caffe and OpenCV-trained models).</summary>
    BGR,

    /// <summary>One channel of ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B.</summary>
    GRAY,
}
