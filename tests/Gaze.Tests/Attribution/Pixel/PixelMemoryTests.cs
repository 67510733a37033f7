using Gaze.Tests.Support;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// Integrated Gradients' steps and SmoothGrad's samples run in batches with running sums, so a process's peak memory
/// is that of one batch whatever their number: measured in a process of its own on SqueezeNet 1.1.
/// </summary>
public sealed class PixelMemoryTests
{
    private const long Megabyte = 1024;   // kilobytes

    [Theory]
    [InlineData("integrated-gradients", "--steps", 32, 256)]
    [InlineData("smoothgrad", "--samples", 32, 200)]
    public void Peak_memory_does_not_grow_with_the_number_of_steps_or_samples(string method, string option, int few, int many)
    {
        long Peak(int count)
        {
            using var dir = new TempDirectory();
            var run = CliProcess.RunMeasuringMemory("explain", SharedData.Require("images/cat-and-dog.png"),
                "--model", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"), "--method", method, option, count.ToString(),
                "--target", "243", "--out", dir.File("out"), "--quiet");
            Assert.True(run.ExitCode == 0, $"{method} {option} {count}: exit {run.ExitCode}\n{string.Join('\n', run.ErrorLines)}");
            return run.PeakKilobytes;
        }

        long small = Peak(few), large = Peak(many);
        // One batch of 32 forward and backward passes takes about 1.2 GB; all 256 at once would take several times that.
        Assert.True(large < 2048 * Megabyte, $"{method} {option} {many}: peak {large / Megabyte} MB");
        Assert.True(large < small * 1.2, $"{method}: peak {large / Megabyte} MB at {many}, {small / Megabyte} MB at {few}");
    }
}
