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
}
