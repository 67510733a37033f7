using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// The model's input tensor space, where every synthesis method optimises: the valid range of each channel (what
/// pixel values 0 and 255 become under the model's preprocessing), clamping to it, pixel levels and steps measured in
/// them, and the scale that carries the CS231n step sizes over from torchvision's normalisation to any other.
/// </summary>
public sealed class InputSpace
{
    // A channel's valid width under torchvision's normalisation, 1 / std, averaged over its three channels: the space
    // the CS231n learning rates and regularisation weights were chosen in.
    private const double TorchvisionWidth = (1 / 0.229 + 1 / 0.224 + 1 / 0.225) / 3;

    /// <summary>The space of <paramref name="input"/> (channels first, whatever the model's own layout).</summary>
    public InputSpace(ModelInput input)
    {
        Input = input;
        int channels = input.ChannelCount;
        var low = new double[channels];
        var high = new double[channels];
        for (int c = 0; c < channels; c++) (low[c], high[c]) = input.ValueBounds(c);
        Lower = low;
        Upper = high;
        Scale = Enumerable.Range(0, channels).Average(c => high[c] - low[c]) / TorchvisionWidth;
    }

    /// <summary>The model's input convention.</summary>
    public ModelInput Input { get; }

    /// <summary>What pixel value 0 becomes in each channel.</summary>
    public IReadOnlyList<double> Lower { get; }

    /// <summary>What pixel value 255 becomes in each channel.</summary>
    public IReadOnlyList<double> Upper { get; }

    /// <summary>
    /// This space's valid width over that of torchvision's normalisation: step sizes and noise levels stated for
    /// torchvision's space are multiplied by it, squared-norm weights divided by its square (1 for torchvision models,
    /// about 58 for a Caffe model taking 0..255).
    /// </summary>
    public double Scale { get; }

    /// <summary>
    /// The L2 length in this space of a normalised-gradient step that CS231n takes with <paramref name="rate"/> on a
    /// 3x224x224 torchvision input, for an input of <paramref name="values"/> values: scaled by <see cref="Scale"/>
    /// and by the square root of the size, so that each value moves as much as it would there.
    /// </summary>
    public double StepLength(double rate, long values) => rate * Scale * Math.Sqrt(values / (3.0 * 224 * 224));

    /// <summary>The number of channels.</summary>
    public int Channels => Lower.Count;

    /// <summary><paramref name="x"/> [N,C,H,W] clamped to each channel's valid range (a new tensor).</summary>
    public Tensor Clamp(Tensor x)
    {
        using var scope = NewDisposeScope();
        return x.clamp(Bound(Lower, x), Bound(Upper, x)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="x"/> [N,C,H,W] in pixel levels (0..255, not rounded or clipped), in double precision.
    /// </summary>
    public Tensor ToLevels(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor values = x.to(ScalarType.Float64);
        return ((values * PerChannel(c => Input.StdOf(c)) + PerChannel(c => Input.MeanOf(c))) * (255.0 / Input.Range)).MoveToOuterDisposeScope();
    }

    /// <summary>A difference of <paramref name="levels"/> pixel levels in each channel, in this space: [1,C,1,1].</summary>
    public Tensor LevelStep(double levels) => PerChannel(c => levels * Input.Range / 255.0 / Input.StdOf(c)).to(ScalarType.Float32);

    private Tensor Bound(IReadOnlyList<double> values, Tensor like) =>
        tensor(values.ToArray(), ScalarType.Float64).view(1, -1, 1, 1).to(like.dtype);

    private Tensor PerChannel(Func<int, double> value) =>
        tensor(Enumerable.Range(0, Channels).Select(value).ToArray(), ScalarType.Float64).view(1, -1, 1, 1);
}
