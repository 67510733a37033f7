using Gaze.Tests.Support;

namespace Gaze.Tests.Attribution.Pixel;

/// <summary>
/// A bad value for a pixel method's option is one line on standard error naming the option, exit code 2, and no
/// output: the values are checked (and a baseline image decoded) before any image is read or folder made.
/// </summary>
public sealed class PixelOptionErrorTests
{
    public static TheoryData<string, string, string, string> Cases() => new()
    {
        // method, option, value, what the line says
        { "integrated-gradients", "--steps", "0", "expected a whole number from 1 to 10000, got '0'" },
        { "integrated-gradients", "--steps", "many", "got 'many'" },
        { "integrated-gradients", "--steps", "1", "the trapezoid rule needs at least 2 steps" },
        { "integrated-gradients", "--rule", "simpson", "expected trapezoid, left, right, middle or gauss-legendre, got 'simpson'" },
        { "integrated-gradients", "--baseline", "NOT-AN-IMAGE", "not a supported image" },
        { "integrated-gradients", "--baseline", "MISSING", "no such file" },
        { "integrated-gradients", "--seed", "-1", "expected a whole number of at least 0" },
        { "smoothgrad", "--samples", "-1", "expected a whole number from 1 to 10000, got '-1'" },
        { "smoothgrad", "--noise", "1.5", "expected a number from 0 to 1, got '1.5'" },
        { "vargrad", "--samples", "1", "expected a whole number from 2 to 10000, got '1'" },
        { "saliency", "--noise", "0.2", "does not apply to saliency" },
        { "integrated-gradients", "--samples", "10", "does not apply to integrated-gradients" },
        { "smoothgrad", "--baseline", "blur", "does not apply to smoothgrad" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_value_is_one_line_naming_the_option_with_exit_code_2_and_no_output(string method, string option, string value, string says)
    {
        using var dir = new TempDirectory();
        string notAnImage = dir.File("baseline.png");
        File.WriteAllText(notAnImage, "not an image");
        value = value.Replace("NOT-AN-IMAGE", notAnImage).Replace("MISSING", dir.File("missing.png"));
        string output = dir.File("out");

        var result = CliRunner.Run("explain", SharedData.Require("images/cat-and-dog.png"), "--model", SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"),
            "--method", method, option, value, "--out", output);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Error}");
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gaze: {option}: ", line);
        Assert.Contains(says, line);
        Assert.False(Directory.Exists(output), "an output folder was made");
    }
}
