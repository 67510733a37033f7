using Gaze.Cli;
using Gaze.Engine;

namespace Gaze.Tests.Support;

/// <summary>Runs the <c>gaze</c> command line in-process and captures what it prints.</summary>
public static class CliRunner
{
    /// <summary>The exit code and both output streams of one run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <c>gaze</c> with <paramref name="args"/>.</summary>
    public static Result Run(params string[] args) => Run(ResourceLimits.Default, args);

    /// <summary>Runs <c>gaze</c> with <paramref name="args"/> under other <paramref name="limits"/> (a small activation budget, say).</summary>
    public static Result Run(ResourceLimits limits, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = new GazeApp(output, error) { Limits = limits }.Run(args);
        return new Result(exit, output.ToString(), error.ToString());
    }
}
