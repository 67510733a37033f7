using System.Runtime.InteropServices;

namespace Gaze.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM for one command that observes them (<see cref="Observe"/>): the first signal cancels
/// <see cref="Observe"/>'s token, so that the command stops at the next safe point and keeps what is finished; a second signal
/// ends the process at once after <see cref="Abort"/> removes temporary files. The exit code is 130 for SIGINT and
/// 143 for SIGTERM. Commands that do not observe them are ended by the signal as the runtime does by default.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly TextWriter error;
    private readonly bool listen;
    private int signals;
    private volatile bool observed;
    private volatile int exitCode = ExitCodes.Interrupted;

    /// <summary>Creates the interruption; with <paramref name="listen"/> it handles the process's signals until disposed.</summary>
    /// <param name="error">Where the line for an immediate exit goes.</param>
    /// <param name="listen">Register for SIGINT and SIGTERM (only for the real process, not in-process callers such as tests).</param>
    public Interruption(TextWriter error, bool listen)
    {
        this.error = error;
        this.listen = listen;
    }

    /// <summary>130 after SIGINT (and by default), 143 after SIGTERM.</summary>
    public int ExitCode => exitCode;

    /// <summary>Run (best effort, from the signal's thread) before the process ends at once.</summary>
    public Action? Abort { get; set; }

    /// <summary>Returns the token the first signal cancels, and promises that the command stops soon after it is cancelled.</summary>
    public CancellationToken Observe()
    {
        // Registered only here: .NET runs signal handlers on the thread pool, which a command saturating it (such as
        // the parallel shapes writer) would starve, swallowing the signal; commands that do not observe keep the
        // runtime's default, ending by the signal at once.
        if (listen && !observed)
        {
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        }
        observed = true;
        return source.Token;
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Never let the runtime kill the process: either the command stops itself, or we exit with a message.
        context.Cancel = true;
        int code = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
        if (Interlocked.Increment(ref signals) == 1)
        {
            exitCode = code;
            source.Cancel();
            if (observed) return;
        }
        try
        {
            Abort?.Invoke();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the process ends anyway.
        }
        error.WriteLine(signals == 1 ? "gaze: interrupted" : "gaze: interrupted again; stopped at once");
        error.Flush();
        ExitNow(exitCode);
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
