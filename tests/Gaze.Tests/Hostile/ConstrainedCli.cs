using System.Diagnostics;
using Gaze.Tests.Support;

namespace Gaze.Tests.Hostile;

/// <summary>
/// Runs the CLI in a child process under conditions an in-process run cannot have: a limit on file size, standard
/// output on a full device or a closed pipe. A shell sets them up, then runs <c>gaze</c>.
/// </summary>
internal static class ConstrainedCli
{
    /// <summary>
    /// Runs <c>gaze</c> with <paramref name="args"/> by way of <c>bash -c</c>: <paramref name="setup"/> runs first in
    /// the shell, and <paramref name="command"/> runs gaze, with <c>"$@"</c> standing for <c>dotnet Gaze.Cli.dll ARGS</c>.
    /// </summary>
    public static CliRunner.Result Run(string setup, string command, string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-c", $"{setup}\n{command}", "bash", "dotnet", Path.Combine(AppContext.BaseDirectory, "Gaze.Cli.dll"), .. args])
            start.ArgumentList.Add(arg);
        // .NET maps its code with a memory file (W^X), which a file size limit would refuse before Main runs.
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gaze {string.Join(' ', args)} did not end within a minute");
        }
        return new CliRunner.Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Standard output on <c>/dev/full</c>: every write fails with "No space left on device".</summary>
    public static CliRunner.Result WithFullStandardOutput(string[] args) => Run("", "exec \"$@\" > /dev/full", args);

    /// <summary>Standard output into a pipe whose reader has already gone: every write fails with EPIPE.</summary>
    public static CliRunner.Result WithClosedStandardOutput(string[] args) =>
        Run("", "\"$@\" | true\nexit ${PIPESTATUS[0]}", args);

    /// <summary>
    /// Files may grow to <paramref name="kilobytes"/> KB at most (<c>ulimit -f</c>, ignoring the SIGXFSZ that would
    /// kill the process): a write beyond fails as on a full disk.
    /// </summary>
    public static CliRunner.Result WithFileSizeLimit(int kilobytes, string[] args) =>
        Run($"trap '' XFSZ\nulimit -f {kilobytes}", "exec \"$@\"", args);
}
