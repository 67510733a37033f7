using Gaze.Onnx;
using Gaze.Onnx.Proto;
using Gaze.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Tests.Onnx;

/// <summary>
/// Input gradients through convolutions are exact whatever freed memory holds. libtorch 2.10's oneDNN convolution
/// backward reads uninitialised channel-block padding when the output channel count is not a multiple of the
/// block; Gaze pads such convolutions in gradient runs (<c>ConvolutionChannelPadding</c>). Without that, these
/// tests see NaN or wrong gradients in most repetitions on an AVX-512 machine.
/// </summary>
public sealed class ConvolutionGradientTests
{
    [Theory]
    [InlineData(1, 8, 5, 1, 28)] // the MNIST model's first layer
    [InlineData(3, 8, 3, 4, 20)]
    [InlineData(16, 24, 3, 4, 20)]
    [InlineData(24, 40, 5, 2, 16)]
    [InlineData(16, 32, 3, 4, 20)] // whole blocks: not padded, must stay right too
    public void Input_gradient_matches_float64_reference(int inChannels, int outChannels, int kernel, int batch, int size)
    {
        var random = new Random(inChannels * 1000 + outChannels);
        float[] weights = Enumerable.Range(0, outChannels * inChannels * kernel * kernel).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] bias = Enumerable.Range(0, outChannels).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        long pad = kernel / 2;
        using var dir = new TempDirectory();
        string path = new TestModelBuilder()
            .Input("x", null, inChannels, size, size)
            .Initializer("w", weights, outChannels, inChannels, kernel, kernel)
            .Initializer("b", bias, outChannels)
            .Node("Conv", ["x", "w", "b"], ["y"], ("pads", new[] { pad, pad, pad, pad }))
            .Output("y")
            .Save(dir.File("conv.onnx"));
        using var graph = OnnxGraph.Load(path);
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(3);
        var x = randn([batch, inChannels, size, size], generator: generator);
        var seed = randn([batch, outChannels, size, size], generator: generator);

        // float64 runs on libtorch's reference kernels, not oneDNN.
        var x64 = x.to(ScalarType.Float64).requires_grad_(true);
        var w64 = tensor(weights, [outChannels, inChannels, kernel, kernel]).to(ScalarType.Float64);
        var y64 = F.conv2d(x64, w64, null, [1, 1], [pad, pad]);
        var expected = autograd.grad([(y64 * seed.to(ScalarType.Float64)).sum()], [x64])[0];
        double scale = expected.abs().max().item<double>();

        for (int repetition = 0; repetition < 4; repetition++)
        {
            FreedMemory.Poison(repetition % 2 == 0 ? float.NaN : 1e30f);
            using var run = graph.Run(x, new RunOptions { InputGradient = true });
            var gradient = Gradients.Of((run.Outputs[0] * seed).sum(), run.Inputs[0]);
            Assert.True(gradient.isfinite().all().item<bool>(), $"repetition {repetition}: non-finite gradient");
            double difference = (gradient.to(ScalarType.Float64) - expected).abs().max().item<double>();
            Assert.True(difference <= 1e-5 * scale, $"repetition {repetition}: max difference {difference:G3} of {scale:G3}");
        }
    }

    [Theory]
    [InlineData("mnist-cntk.onnx", 0)]
    [InlineData("squeezenet1.1-caffe2-fp16.onnx", 0)]
    [InlineData("efficientnet_b0-random.onnx", 0)]
    [InlineData("candy-style.onnx", 96)]
    public void Model_input_gradients_do_not_depend_on_freed_memory(string model, int size)
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/" + model));
        using var scope = NewDisposeScope();
        var type = graph.IsFloat16 ? ScalarType.Float16 : ScalarType.Float32;
        var x = (rand(graph.Inputs[0].ConcreteShape(2, size > 0 ? (size, size) : null), generator: new TorchSharp.torch.Generator(5)) * 3).to(type);
        Tensor GradientAfter(float poison)
        {
            FreedMemory.Poison(poison);
            using var run = graph.Run(x, new RunOptions { InputGradient = true });
            return Gradients.Of(run.Outputs[0].flatten(1).max(1).values.sum(), run.Inputs[0]).to(ScalarType.Float32).detach();
        }

        var clean = GradientAfter(0f);
        Assert.True(clean.abs().max().item<float>() > 0, "the gradient is zero: nothing is compared");
        foreach (float poison in new[] { float.NaN, 1e30f, -7f })
        {
            // Bit for bit: the same kernels on the same numbers; NaN anywhere makes the difference NaN and fails.
            float difference = (GradientAfter(poison) - clean).abs().max().item<float>();
            Assert.True(difference == 0, $"{model}: the input gradient changed by {difference} when freed memory held {poison}");
        }
    }
}
