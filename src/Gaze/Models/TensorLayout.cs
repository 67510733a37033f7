namespace Gaze.Models;

/// <summary>How a model's image tensor is laid out in memory.</summary>
public enum TensorLayout
{
    /// <summary>Batch, channels, height, width: PyTorch, Caffe and most ONNX exports.</summary>
    NCHW,

    /// <summary>Batch, height, width, channels: TensorFlow and Keras exports.</summary>
    NHWC,
}
