using Gaze.Tests.Support;

namespace Gaze.Tests.Hostile;

/// <summary>
/// Hostile option values, met by <c>explain</c> on the built-in model (or <c>predict</c> on MNIST for its own
/// options): one line naming the option, exit 2, and no output folder; or, for a value too large to honour, one
/// warning and a normal run.
/// </summary>
internal static class OptionCases
{
    public static IEnumerable<HostileCase> All =>
    [
        Explain("option-unknown", "--frobnicate 3, near no option", "--frobnicate", "unknown option '--frobnicate' for 'explain' (see", "--frobnicate", "3"),
        Explain("option-misspelt", "--methd gradcam", "--methd", "did you mean '--method'?", "--methd", "gradcam"),
        Explain("option-missing-value", "--target with no value after it", "--target", "--target", "--target"),
        Explain("option-batch-zero", "--batch 0", "--batch", "expected a whole number of at least 1, got '0'", "--batch", "0"),
        Explain("option-batch-negative", "--batch -1", "--batch", "expected a whole number of at least 1, got '-1'", "--batch", "-1"),
        Explain("option-batch-text", "--batch abc", "--batch", "expected a whole number of at least 1, got 'abc'", "--batch", "abc"),
        Explain("option-batch-overflow", "--batch 99999999999 (beyond 32 bits)", "--batch", "expected a whole number of at least 1", "--batch", "99999999999"),
        Explain("option-threads-zero", "--threads 0", "--threads", "expected a whole number of at least 1, got '0'", "--threads", "0"),
        Explain("option-max-pixels-zero", "--max-pixels 0", "--max-pixels", "expected a whole number of at least 1, got '0'", "--max-pixels", "0"),
        Explain("option-size-zero", "--size 0", "--size", "height and width must be 1 to 4096 pixels, got [0, 0]", "--size", "0"),
        Explain("option-size-huge", "--size 99999", "--size", "height and width must be 1 to 4096 pixels", "--size", "99999"),
        Explain("option-size-text", "--size a,b", "--size", "must be one whole number or height,width, got 'a,b'", "--size", "a,b"),
        Explain("option-size-three", "--size 8,8,8", "--size", "must be one whole number or height,width, got '8,8,8'", "--size", "8,8,8"),
        new HostileCase("option-out-empty", "--out \"\"", 2, _ => ["explain", Sample, "--out", ""])
        {
            Names = _ => "--out",
            Says = "is empty",
        },
        new HostileCase("option-out-is-file", "--out naming an existing file", 2, s =>
        {
            string file = s.WriteText("taken.txt", "mine");
            return ["explain", Sample, "--out", file];
        })
        {
            Says = "exists and is not a directory",
            Then = (s, _) => Assert.Equal("mine", File.ReadAllText(s.File("taken.txt"))),
        },
        new HostileCase("option-out-not-empty", "--out naming a folder that holds a file", 2, s =>
        {
            s.CreateOut();
            File.WriteAllText(Path.Combine(s.Out, "keep.txt"), "mine");
            return ["explain", Sample, "--out", s.Out];
        })
        {
            Names = _ => "--out",
            Says = "is not empty",
            Then = (s, _) => Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(s.Out).Select(Path.GetFileName)),
        },
        Explain("option-method-unknown", "--method telepathy", "--method", "telepathy", "--method", "telepathy"),
        Explain("option-layer-unknown", "--layer no_such_layer", "no_such_layer", "no_such_layer", "--layer", "no_such_layer"),
        Explain("option-layer-2d", "--layer pooled.flat, a [1,64] tensor", "pooled.flat", "pooled.flat", "--layer", "pooled.flat"),
        Explain("option-target-out-of-range", "--target 99 for 8 classes", "--target", "99", "--target", "99"),
        Explain("option-target-unknown-label", "--target unicorn, no such label", "--target", "unicorn", "--target", "unicorn"),
        Explain("option-opacity-2", "--opacity 2", "--opacity", "expected a number from 0 to 1, got '2'", "--opacity", "2"),
        Explain("option-opacity-nan", "--opacity NaN", "--opacity", "expected a number from 0 to 1, got 'NaN'", "--opacity", "NaN"),
        Explain("option-colormap-unknown", "--colormap rainbow", "--colormap", "rainbow", "--colormap", "rainbow"),
        Explain("option-precision-fp16", "--precision fp16", "--precision", "fp16", "--precision", "fp16"),
        Predict("option-top-zero", "predict --top 0", "--top", "expected a whole number of at least 1, got '0'", "--top", "0"),
        Predict("option-mean-wrong-count", "predict --mean 1,2 on a gray model", "--mean", "--mean", "--mean", "1,2"),
        Predict("option-channels-unknown", "predict --channels CMYK", "--channels", "CMYK", "--channels", "CMYK"),
        Predict("option-range-seven", "predict --range 7", "--range", "7", "--range", "7"),
        new HostileCase("option-threads-huge", "--threads 100000", 0, s => ["--threads", "100000", "explain", Sample, "--out", s.Out])
        {
            Names = _ => "--threads",
            Says = $"warning: --threads 100000 is more than the {Environment.ProcessorCount} processors; using {Environment.ProcessorCount}",
        },
        new HostileCase("option-batch-huge", "--batch 2000000000", 0, s => ["explain", Sample, "--out", s.Out, "--batch", "2000000000"])
        {
            Names = _ => "--batch",
            Says = "warning: --batch 2000000000 would take about",
        },
    ];

    /// <summary>A valid sample image of the built-in model.</summary>
    private static string Sample => RepositoryFiles.Require("assets/samples/circle.png");

    private static HostileCase Explain(string id, string input, string names, string says, params string[] options) =>
        new(id, input, 2, s => ["explain", Sample, "--out", s.Out, .. options]) { Names = _ => names, Says = says };

    private static HostileCase Predict(string id, string input, string names, string says, params string[] options) =>
        new(id, input, 2, s => ["predict", Sample, "--model", SharedData.Require("models/mnist-cntk.onnx"), .. options]) { Names = _ => names, Says = says };
}
