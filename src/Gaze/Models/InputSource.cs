namespace Gaze.Models;

/// <summary>Where a setting of a model's input convention came from, in rising precedence.</summary>
public enum InputSource
{
    /// <summary>Nothing said otherwise: the torchvision ImageNet default (<see cref="ModelInput.Default"/>).</summary>
    Default,

    /// <summary>The ONNX graph: fixed input dimensions, or a Transpose to channels first after the input.</summary>
    Graph,

    /// <summary>The model's <c>.gaze.json</c> sidecar (its fields or its <c>input.preset</c>).</summary>
    Sidecar,

    /// <summary>A command-line option or a library override (<see cref="ModelInputOverrides"/>, including <c>--preset</c>).</summary>
    Option,
}
