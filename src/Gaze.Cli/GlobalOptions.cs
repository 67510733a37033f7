using System.CommandLine;

namespace Gaze.Cli;

/// <summary>Options every <c>gaze</c> command accepts.</summary>
public sealed class GlobalOptions
{
    /// <summary><c>--threads N</c>: CPU threads for the engines.</summary>
    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "CPU threads for libtorch and ONNX Runtime (default: one per core)",
        HelpName = "N",
        Recursive = true,
        CustomParser = result => OptionParsers.PositiveInt(result, "--threads"),
    };

    /// <summary><c>--max-pixels N</c>: the largest image (width times height) decoded.</summary>
    public Option<int?> MaxPixels { get; } = new("--max-pixels")
    {
        Description = $"Refuse images declaring more pixels than this, before decoding them (default: {Gaze.Engine.ResourceLimits.DefaultMaxImagePixels})",
        HelpName = "N",
        Recursive = true,
        CustomParser = result => OptionParsers.PositiveInt(result, "--max-pixels"),
    };

    /// <summary><c>--activation-budget SIZE</c>: the activation memory one batch may take.</summary>
    public Option<long?> ActivationBudget { get; } = new("--activation-budget")
    {
        Description = "Activation memory one batch may take: larger batches are reduced, larger inputs refused (default: 2GB)",
        HelpName = "SIZE",
        Recursive = true,
        CustomParser = result => OptionParsers.ByteSize(result, "--activation-budget"),
    };

    /// <summary><c>--quiet</c>.</summary>
    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only results and errors: no progress bars or notes",
        Recursive = true,
    };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print results as JSON on standard output",
        Recursive = true,
    };

    /// <summary><c>--verbose</c>.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print more detail, including the details of unexpected failures",
        Recursive = true,
    };

    /// <summary>Adds the options to <paramref name="root"/>.</summary>
    public void AddTo(RootCommand root)
    {
        root.Add(Threads);
        root.Add(MaxPixels);
        root.Add(ActivationBudget);
        root.Add(Quiet);
        root.Add(Json);
        root.Add(Verbose);
    }
}
