using System.Globalization;
using System.Text;

namespace Gaze.Errors;

/// <summary>
/// Base of every error Gaze reports about what it was given: a file, a model, an option.
/// Its message is one line, fit to show to a user as it is; the CLI maps it to exit code 2.
/// Any other exception escaping Gaze is a bug (exit code 1).
/// </summary>
public abstract class GazeException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    protected GazeException(string message, Exception? inner = null) : base(Printable(message), inner) { }

    /// <summary>
    /// The message with control characters escaped (<c>\n</c>, <c>\x1B</c>): a file name may hold a line break or a
    /// terminal escape sequence, which must neither split the one line nor reach the terminal.
    /// </summary>
    private static string Printable(string message)
    {
        if (!message.Any(c => char.IsControl(c) && c != '\t')) return message;
        var text = new StringBuilder(message.Length + 8);
        foreach (char c in message)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\t",
                _ when char.IsControl(c) => "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return text.ToString();
    }
}
