using System.Text;
using Gaze.Errors;

namespace Gaze.Cli;

/// <summary>
/// Standard output as the commands write it: a write that fails (a full disk, <c>/dev/full</c>) becomes an
/// <see cref="OutputFileException"/> naming standard output, so that the command ends with one line and exit code 2
/// as for any other output file that cannot be written, instead of an unexpected failure.
/// </summary>
internal sealed class StandardOutputWriter : TextWriter
{
    /// <summary>The name errors give the stream.</summary>
    public const string Name = "standard output";

    private readonly TextWriter inner;

    /// <summary>Wraps <paramref name="inner"/>, which stays open when this writer is disposed.</summary>
    public StandardOutputWriter(TextWriter inner) : base(inner.FormatProvider)
    {
        this.inner = inner;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value) => Guard(() => inner.Write(value));

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    /// <inheritdoc />
    public override void Write(string? value) => Guard(() => inner.Write(value));

    /// <inheritdoc />
    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    /// <inheritdoc />
    public override void Flush() => Guard(inner.Flush);

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new OutputFileException(Name, "cannot write: " + e.Message.ReplaceLineEndings(" ").Trim(), e);
        }
    }
}
