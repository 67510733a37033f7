using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Gaze.Tests.Support;

/// <summary>
/// The CLI in a child process (<see cref="CliProcess"/>) that a test signals mid-run. Standard error is collected as
/// it comes, and standard output too unless the test leaves it unread: a process whose output fills the pipe then
/// blocks writing it and cannot end before the test signals it.
/// </summary>
public sealed class SignalledCli : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    private SignalledCli(Process process, bool readOutput)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (error) error.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        if (readOutput) ReadOutput();
    }

    /// <summary>Starts <c>gaze</c> with <paramref name="args"/>, reading both streams.</summary>
    public static SignalledCli Start(params string[] args) => new(CliProcess.Start(args), readOutput: true);

    /// <summary>Starts <c>gaze</c> with <paramref name="args"/>, leaving standard output unread.</summary>
    public static SignalledCli StartWithOutputUnread(params string[] args) => new(CliProcess.Start(args), readOutput: false);

    /// <summary>Standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (error) return error.ToString();
        }
    }

    /// <summary>
    /// Whether the process has loaded libtorch. Gaze loads it only inside a command that uses a model, after the
    /// command line registered its signal handlers, so from then on a signal reaches them.
    /// </summary>
    public bool EngineLoaded
    {
        get
        {
            try
            {
                return File.ReadLines($"/proc/{process.Id}/maps").Any(line => line.Contains("libtorch", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test if the process ends first or it takes too long.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, $"the process ended (exit {(process.HasExited ? process.ExitCode : 0)}) before {what}: {Error}");
            Assert.True(clock.Elapsed < (timeout ?? DefaultTimeout), $"timed out waiting until {what}: {Error}");
            Thread.Sleep(5);
        }
    }

    /// <summary>Sends <paramref name="signal"/> (SIGINT or SIGTERM) to the process.</summary>
    public void Signal(PosixSignal signal)
    {
        int number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        };
        Assert.True(Kill(process.Id, number) == 0, $"kill failed: {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end (reading any output left unread) and returns its exit code and output.</summary>
    public (int ExitCode, string Output, string Error) WaitForExit(TimeSpan? timeout = null)
    {
        Assert.True(process.WaitForExit(timeout ?? DefaultTimeout), $"the process did not stop: {Error}");
        process.WaitForExit();
        string text;
        lock (output) text = output.ToString();
        return (process.ExitCode, text, Error);
    }

    /// <summary>Starts reading standard output (after a signal to a process left blocked on it).</summary>
    public void ReadOutput()
    {
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
    }

    /// <summary>Ends the process if a failed test left it running.</summary>
    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
