using System.Text;
using Spectre.Console;

namespace Gaze.Cli;

/// <summary>
/// Spectre.Console's output on standard output, writing through a <see cref="StandardOutputWriter"/> while the
/// terminal's size and kind still come from the real stream (Spectre recognises the console only by its own writer).
/// </summary>
internal sealed class GuardedConsoleOutput(AnsiConsoleOutput terminal, StandardOutputWriter writer) : IAnsiConsoleOutput
{
    /// <inheritdoc />
    public TextWriter Writer => writer;

    /// <inheritdoc />
    public bool IsTerminal => terminal.IsTerminal;

    /// <inheritdoc />
    public int Width => terminal.Width;

    /// <inheritdoc />
    public int Height => terminal.Height;

    /// <inheritdoc />
    public void SetEncoding(Encoding encoding) => terminal.SetEncoding(encoding);
}
