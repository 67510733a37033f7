using System.Diagnostics;

namespace Gaze.Tests.Support;

/// <summary>
/// The CLI next to the test binaries in a process of its own, for what an in-process run cannot show: signals,
/// being killed, peak memory and page faults of a whole process. Standard output and error are redirected.
/// </summary>
public static class CliProcess
{
    /// <summary>Starts <c>gaze</c> with <paramref name="args"/>.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gaze.Cli.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
