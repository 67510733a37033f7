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

    /// <summary>What a run in a process of its own printed on standard error, how it ended and its peak resident memory.</summary>
    public sealed record MeasuredRun(int ExitCode, IReadOnlyList<string> ErrorLines, long PeakKilobytes);

    /// <summary>
    /// Runs <c>gaze</c> with <paramref name="args"/> to its end (at most two minutes) while reading the process's peak
    /// resident memory (VmHWM) from /proc.
    /// </summary>
    public static MeasuredRun RunMeasuringMemory(params string[] args)
    {
        using Process process = Start(args);
        var errorLines = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errorLines) if (!string.IsNullOrEmpty(e.Data)) errorLines.Add(e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        long peakKilobytes = 0;
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            peakKilobytes = Math.Max(peakKilobytes, PeakResidentKilobytes(process.Id) ?? 0);
            Thread.Sleep(20);
        }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        lock (errorLines) return new MeasuredRun(process.ExitCode, [.. errorLines], peakKilobytes);
    }

    private static long? PeakResidentKilobytes(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
