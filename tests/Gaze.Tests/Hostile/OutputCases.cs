using Gaze.IO;
using Gaze.Tests.Support;

namespace Gaze.Tests.Hostile;

/// <summary>
/// Output that cannot be written (a full device, a file size limit, a path through a device) and standard output
/// that goes nowhere: one line naming what could not be written, exit 2, and no half-written file left behind.
/// Ctrl+C and SIGTERM are <see cref="Cli.InterruptionTests"/>' cases (each needs hundreds of images to interrupt).
/// </summary>
internal static class OutputCases
{
    public static IEnumerable<HostileCase> All =>
    [
        new HostileCase("disk-full-stdout", "predict --json with standard output on /dev/full", 2,
            s => ["predict", s.GoodImage(), "--model", Mnist, "--json"])
        {
            Names = _ => "standard output",
            Says = "No space left on device",
            Run = (_, args) => ConstrainedCli.WithFullStandardOutput(args),
        },
        new HostileCase("disk-full-output", "explain under a 64 KB file size limit (its heatmap needs 1 MB)", 2,
            s => ["explain", s.Write("wide.png", HostilePng.Flat(512, 512)), "--out", s.Out])
        {
            Names = s => s.Out,
            Says = "cannot write",
            Run = (_, args) => ConstrainedCli.WithFileSizeLimit(64, args),
        },
        new HostileCase("disk-full-overlay", "overlay under an 8 KB file size limit (its PNG needs 50 KB)", 2, s =>
        {
            string heatmap = s.File("heat.npy");
            NpyFile.Write(heatmap, [.. Enumerable.Range(0, 64).Select(i => (i * 37 % 64) / 64f)], 8, 8);
            return ["overlay", s.Write("wide.png", HostilePng.Flat(512, 512)), heatmap, "--out", Path.Combine(s.CreateOut(), "overlay.png")];
        })
        {
            Names = s => Path.Combine(s.Out, "overlay.png"),
            Says = "cannot write",
            Run = (_, args) => ConstrainedCli.WithFileSizeLimit(8, args),
        },
        new HostileCase("disk-out-under-device", "--out /dev/full/results (a path through a device)", 2,
            s => ["explain", s.GoodImage(), "--out", "/dev/full/results"])
        {
            Names = _ => "/dev/full/results",
            Says = "cannot create the directory",
        },
        new HostileCase("signal-sigpipe", "predict --json into a pipe whose reader has gone", 0,
            s => ["predict", s.GoodImage(), "--model", Mnist, "--json"])
        {
            Run = (_, args) => ConstrainedCli.WithClosedStandardOutput(args),
        },
    ];

    private static string Mnist => SharedData.Require("models/mnist-cntk.onnx");
}
