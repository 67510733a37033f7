using Spectre.Console;

namespace Gaze.Cli;

/// <summary>What a command needs from the command line around it: where to write and how much.</summary>
public sealed class CliContext
{
    /// <summary>Creates a context writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public CliContext(TextWriter output, TextWriter error, bool quiet, bool json, bool verbose, Interruption? interruption = null)
    {
        Interruption = interruption ?? new Interruption(error, listen: false);
        // A failed write to standard output is an output error (exit 2), not an unexpected failure.
        var guarded = new StandardOutputWriter(output);
        Output = guarded;
        Error = error;
        Quiet = quiet;
        Json = json;
        Verbose = verbose;
        bool interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new GuardedConsoleOutput(new AnsiConsoleOutput(output), guarded),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>
    /// Ctrl+C and SIGTERM: a long command takes <see cref="Interruption.Observe"/>'s token and stops at a safe point;
    /// other commands end at once with exit code 130 (143 for SIGTERM).
    /// </summary>
    public Interruption Interruption { get; }

    /// <summary>Standard output: results (tables, or JSON with <see cref="Json"/>).</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: errors, warnings and progress.</summary>
    public TextWriter Error { get; }

    /// <summary>Rich output (tables, progress bars) on <see cref="Output"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary><c>--quiet</c>: print only results and errors, no progress or notes.</summary>
    public bool Quiet { get; }

    /// <summary><c>--json</c>: print results as JSON on standard output.</summary>
    public bool Json { get; }

    /// <summary><c>--verbose</c>: more detail, including the details of unexpected failures.</summary>
    public bool Verbose { get; }

    /// <summary>The resource limits, with <c>--max-pixels</c> applied.</summary>
    public Gaze.Engine.ResourceLimits Limits { get; init; } = Gaze.Engine.ResourceLimits.Default;

    /// <summary>Writes a warning line to standard error unless <see cref="Quiet"/>.</summary>
    public void Warn(string message)
    {
        if (!Quiet) Error.WriteLine($"gaze: warning: {message}");
    }

    /// <summary>
    /// Runs <paramref name="work"/>, which calls the given step action once per finished item, under a progress bar
    /// on standard error when that is a terminal (and neither <see cref="Quiet"/> nor <see cref="Json"/>).
    /// </summary>
    public void WithProgress(string description, int total, Action<Action> work)
    {
        if (ProgressConsole() is not { } console || total < 2)
        {
            work(() => { });
            return;
        }
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask(description, maxValue: total);
                work(() => task.Increment(1));
            });
    }

    /// <summary>
    /// A console on standard error for progress bars, or null when none should be drawn: standard error is not the
    /// process's terminal, or <see cref="Quiet"/> or <see cref="Json"/> asks for plain output.
    /// </summary>
    public IAnsiConsole? ProgressConsole()
    {
        bool terminal = ReferenceEquals(Error, System.Console.Error) && !System.Console.IsErrorRedirected;
        return Quiet || Json || !terminal ? null : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) });
    }

    /// <summary>Writes a note to standard error when <see cref="Verbose"/>.</summary>
    public void Note(string message)
    {
        if (Verbose) Error.WriteLine($"gaze: {message}");
    }
}
