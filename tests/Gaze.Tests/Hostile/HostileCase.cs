using Gaze.Tests.Support;

namespace Gaze.Tests.Hostile;

/// <summary>
/// One hostile input of the suite: a short stable id (README's reliability section lists every one), what the input
/// is, the command that meets it and what Gaze must answer. <see cref="Arguments"/> makes the hostile files in the
/// scene's temporary folder and returns the command line.
/// </summary>
/// <param name="Id">Stable, short, kebab-case: the family first (<c>image-</c>, <c>model-</c>, ...).</param>
/// <param name="Input">What the hostile input is, in a few words.</param>
/// <param name="ExitCode">2 for a refusal, 4 when some images failed, 0 for an unusual but valid input.</param>
/// <param name="Arguments">Makes the files and returns the <c>gaze</c> arguments.</param>
internal sealed record HostileCase(string Id, string Input, int ExitCode, Func<HostileScene, string[]> Arguments)
{
    /// <summary>
    /// The file or option the one error line must name; by default the scene's <see cref="HostileScene.Subject"/>.
    /// Every case that does not exit 0 names something.
    /// </summary>
    public Func<HostileScene, string?> Names { get; init; } = scene => scene.Subject;

    /// <summary>The gist of the one standard-error line; null for a run that must print nothing there.</summary>
    public string? Says { get; init; }

    /// <summary>Runs the command; in-process by default, a child process for what needs one (limits, closed streams).</summary>
    public Func<HostileScene, string[], CliRunner.Result> Run { get; init; } = (_, args) => CliRunner.Run(args);

    /// <summary>Checks beyond the common ones (a warning, what results.json says).</summary>
    public Action<HostileScene, CliRunner.Result>? Then { get; init; }

    /// <summary>The id, so that a failing theory row says which case failed.</summary>
    public override string ToString() => Id;
}
