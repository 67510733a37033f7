using System.CommandLine;
using Gaze.Cli.Commands;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.Explaining;

namespace Gaze.Cli;

/// <summary>
/// The <c>gaze</c> command line: builds the command tree and applies one error policy to every command.
/// User errors (<see cref="GazeException"/>, bad options) exit 2 with one line; anything else exits 1 with a
/// short message, and the details only with <c>--verbose</c>.
/// </summary>
public sealed class GazeApp
{
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly GlobalOptions globalOptions = new();

    /// <summary>Creates the application writing to the given streams (the console in <c>Program</c>, buffers in tests).</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="methods">The explanation methods offered (default: <see cref="MethodRegistry.Default"/>).</param>
    public GazeApp(TextWriter output, TextWriter error, MethodRegistry? methods = null)
    {
        this.output = output;
        this.error = error;
        Methods = methods ?? MethodRegistry.Default;
    }

    /// <summary>
    /// Handle SIGINT and SIGTERM while a command runs (see <see cref="Interruption"/>); set by the real program, not
    /// by in-process callers such as tests, whose process the signals belong to.
    /// </summary>
    public bool HandlesSignals { get; init; }

    /// <summary>The resource limits commands start from (<c>--max-pixels</c> changes its pixel limit); default <see cref="ResourceLimits.Default"/>.</summary>
    public ResourceLimits Limits { get; init; } = ResourceLimits.Default;

    /// <summary>The explanation methods that <c>--method</c> offers.</summary>
    public MethodRegistry Methods { get; }

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    public int Run(string[] args)
    {
        RootCommand root = BuildRoot();
        ParseResult parse = root.Parse(args);
        if (!AsksForHelp(parse) && (UnknownOptions.Find(parse) ?? parse.Errors.FirstOrDefault()?.Message) is { } problem)
        {
            error.WriteLine($"gaze: {problem} (see 'gaze --help')");
            return ExitCodes.UsageError;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        });
    }

    private static bool AsksForHelp(ParseResult parse) =>
        parse.Action is System.CommandLine.Help.HelpAction;

    private RootCommand BuildRoot()
    {
        var root = new RootCommand("Gaze: see what a convolutional network looks at (class activation maps, attributions, network visualisation).");
        globalOptions.AddTo(root);
        root.Add(LayersCommand.Create(this));
        root.Add(CheckCommand.Create(this));
        root.Add(PredictCommand.Create(this));
        root.Add(ExplainCommand.Create(this));
        root.Add(BenchCommand.Create(this));
        root.Add(OverlayCommand.Create(this));
        root.Add(ShapesCommand.Create(this));
        root.Add(TrainShapesCommand.Create(this));
        root.Add(EvaluateCommand.Create(this));
        root.Add(SanityCommand.Create(this));
        root.Add(DemoCommand.Create(this));
        root.Add(FinetuneCommand.Create(this));
        root.Add(FoolCommand.Create(this));
        root.Add(VisualizeCommand.Create(this));
        root.Add(StyleCommand.CreateInvert(this));
        root.Add(StyleCommand.Create(this));
        root.Add(DreamCommand.Create(this));

        // Our --version proves that libtorch runs and reports every engine, and combines with --json.
        for (int i = root.Options.Count - 1; i >= 0; i--)
        {
            if (root.Options[i] is VersionOption) root.Options.RemoveAt(i);
        }
        var version = new Option<bool>("--version") { Description = "Print the versions of Gaze, TorchSharp/libtorch and ONNX Runtime, and the CPU threads" };
        root.Add(version);
        root.SetAction(parse => parse.GetValue(version)
            ? Execute(parse, VersionReport.Write)
            : new System.CommandLine.Help.HelpAction().Invoke(parse));
        return root;
    }

    /// <summary>Runs <paramref name="handler"/> under the global options and the error policy.</summary>
    internal int Execute(ParseResult parse, Func<CliContext, int> handler)
    {
        using var interruption = new Interruption(error, HandlesSignals);
        var context = new CliContext(
            output, error,
            quiet: parse.GetValue(globalOptions.Quiet),
            json: parse.GetValue(globalOptions.Json),
            verbose: parse.GetValue(globalOptions.Verbose),
            interruption)
        {
            Limits = Limits with
            {
                MaxImagePixels = parse.GetValue(globalOptions.MaxPixels) ?? Limits.MaxImagePixels,
                MaxBatchActivationBytes = parse.GetValue(globalOptions.ActivationBudget) ?? Limits.MaxBatchActivationBytes,
            },
        };
        try
        {
            int? threads = parse.GetValue(globalOptions.Threads);
            if (threads is not null && EngineSettings.SetThreads(threads.Value, context.Limits) is var applied && applied < threads)
                context.Warn($"--threads {threads} is more than the {applied} processors; using {applied}");
            return handler(context);
        }
        catch (GazeException e)
        {
            error.WriteLine($"gaze: {e.Message}");
            // The engine's own words (libtorch's frames, ONNX Runtime's source lines) for whoever asks for them.
            if (context.Verbose && e.InnerException is not null) error.WriteLine(e.GetBaseException().Message);
            return ExitCodes.UsageError;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("gaze: interrupted");
            return interruption.ExitCode;
        }
        catch (Exception e)
        {
            error.WriteLine($"gaze: unexpected failure: {FirstLine(e.Message)}");
            if (context.Verbose) error.WriteLine(e.ToString());
            else error.WriteLine("gaze: run again with --verbose for details");
            return ExitCodes.Failure;
        }
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
