using static TorchSharp.torch;

namespace Gaze.Tests.Engine;

/// <summary>libtorch loads on this machine (through the build's binary fix) and autograd works.</summary>
public class TorchSharpTests
{
    [Fact]
    public void Convolution_forward_and_backward_give_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        // 1x1x3x3 input 1..9, 2x2 kernel [[1,0],[0,-1]]: each output is x[i,j] - x[i+1,j+1] = -4.
        var input = arange(1, 10, dtype: float32).reshape(1, 1, 3, 3).requires_grad_(true);
        var kernel = tensor(new float[] { 1, 0, 0, -1 }).reshape(1, 1, 2, 2).requires_grad_(true);

        var output = nn.functional.conv2d(input, kernel);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, output.shape);
        Assert.All(output.data<float>().ToArray(), v => Assert.Equal(-4f, v));

        output.sum().backward();
        // d(sum)/dx: +1 for every position the kernel's top-left covers, -1 for every bottom-right.
        float[] expectedInputGrad = { 1, 1, 0, 1, 0, -1, 0, -1, -1 };
        Assert.Equal(expectedInputGrad, input.grad!.data<float>().ToArray());
        // d(sum)/dw[a,b] = sum of the input window at offset (a,b).
        float[] expectedKernelGrad = { 1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9 };
        Assert.Equal(expectedKernelGrad, kernel.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Engine_probe_reports_LibTorch_2_10()
    {
        var info = Gaze.Engine.EngineInfo.Probe();
        Assert.StartsWith("2.10", info.LibTorch);
        Assert.Equal("0.107.0", info.TorchSharp);
        Assert.True(info.TorchThreads >= 1);
        Assert.False(string.IsNullOrEmpty(info.OnnxRuntime));
    }
}
