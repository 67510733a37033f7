using System.Runtime.InteropServices;
using Gaze.Errors;

namespace Gaze.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM while a command runs, handled for every command. A command that can run long calls
/// <see cref="Observe"/>: the first signal then cancels its token, so that it stops at the next safe point, keeps what
/// is finished and prints one line. Before a command observes (or if it never does), the first signal ends the process
/// at once with one line. A second signal always ends the process at once, after <see cref="Abort"/> removes
/// temporary files. The exit code is 130 for SIGINT and 143 for SIGTERM.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly TextWriter error;
    private readonly Action<int> exit;
    private int signals;
    private volatile bool observed;
    private volatile int exitCode = ExitCodes.Interrupted;

    /// <summary>Creates the interruption; with <paramref name="listen"/> it handles the process's signals until disposed.</summary>
    /// <param name="error">Where the line for an immediate exit goes.</param>
    /// <param name="listen">Register for SIGINT and SIGTERM (only for the real process, not in-process callers such as tests).</param>
    public Interruption(TextWriter error, bool listen)
        : this(error, listen, ExitNow)
    {
    }

    /// <summary>Creates the interruption with another way to end the process (tests record the exit code instead).</summary>
    internal Interruption(TextWriter error, bool listen, Action<int> exit)
    {
        this.error = error;
        this.exit = exit;
        if (!listen) return;
        // .NET runs the handlers of SIGINT and SIGTERM on a thread of their own, not on the thread pool, so a command
        // that saturates the pool (the parallel shapes writer) still hears the signal at once.
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
    }

    /// <summary>130 after SIGINT (and by default), 143 after SIGTERM.</summary>
    public int ExitCode => exitCode;

    /// <summary>Run (best effort, from the signal's thread) before the process ends at once.</summary>
    public Action? Abort { get; set; }

    /// <summary>Returns the token the first signal cancels, and promises that the command stops soon after it is cancelled.</summary>
    public CancellationToken Observe()
    {
        observed = true;
        return source.Token;
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Never let the runtime kill the process: either the command stops itself, or we exit with a message.
        context.Cancel = true;
        Handle(context.Signal);
    }

    /// <summary>What a signal does: cancel an observing command's token the first time, else end the process with one line.</summary>
    internal void Handle(PosixSignal signal)
    {
        int count = Interlocked.Increment(ref signals);
        if (count == 1)
        {
            exitCode = signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
            source.Cancel();
            if (observed) return;
        }
        try
        {
            Abort?.Invoke();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GazeException)
        {
            // Best effort: the process ends anyway.
        }
        error.WriteLine(count == 1 ? "gaze: interrupted" : "gaze: interrupted again; stopped at once");
        error.Flush();
        exit(exitCode);
    }

    /// <summary>
    /// Ends the process without running exit handlers. Environment.Exit would run libtorch's static destructors while
    /// the main thread may still be inside a libtorch operator, which can crash the process on its way out (seen:
    /// the message printed, then an exit code other than 130). Every output file is whole already and the temporary
    /// ones are gone, so nothing is left to clean up.
    /// </summary>
    private static void ExitNow(int code)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                ImmediateExit(code);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc: the ordinary exit below.
            }
        }
        Environment.Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ImmediateExit(int code);

    /// <summary>Stops handling signals.</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
