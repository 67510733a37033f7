using Gaze.Errors;

namespace Gaze.Synthesis;

/// <summary>The range checks the synthesis options share; each names the option it checks.</summary>
internal static class SynthesisChecks
{
    public static void Positive(double value, string option)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new InvalidOptionException(option, $"must be a positive number, got {value}");
    }

    public static void NotNegative(double value, string option)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new InvalidOptionException(option, $"must be zero or more, got {value}");
    }
}
