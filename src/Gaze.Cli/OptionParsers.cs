using System.CommandLine.Parsing;
using System.Globalization;

namespace Gaze.Cli;

/// <summary>Parsers for option values that give one-line errors naming the option.</summary>
public static class OptionParsers
{
    /// <summary>A whole number of at least 1.</summary>
    public static int? PositiveInt(ArgumentResult result, string option)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 1) return value;
        result.AddError($"{option}: expected a whole number of at least 1, got '{text}'");
        return null;
    }

    /// <summary>A number from 0 to 1 inclusive.</summary>
    public static double Fraction(ArgumentResult result, string option)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && value <= 1) return value;
        result.AddError($"{option}: expected a number from 0 to 1, got '{text}'");
        return double.NaN;
    }

    /// <summary>A memory size with a unit, <c>512MB</c> or <c>2.5GB</c> (binary units), of at least 1 MB.</summary>
    public static long? ByteSize(ArgumentResult result, string option)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        string trimmed = text.Trim().ToUpperInvariant();
        long unit = trimmed.EndsWith("GB", StringComparison.Ordinal) ? 1L << 30 : trimmed.EndsWith("MB", StringComparison.Ordinal) ? 1L << 20 : 0;
        if (unit > 0
            && double.TryParse(trimmed[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && value * unit >= 1 << 20 && value * unit <= long.MaxValue / 2)
            return (long)(value * unit);
        result.AddError($"{option}: expected a size such as 512MB or 4GB, got '{text}'");
        return null;
    }
}
