using System.Globalization;
using Gaze.Errors;

namespace Gaze.Attribution;

/// <summary>
/// The values a user gave to method-specific options (<c>--steps 128</c>, <c>--baseline blur</c>), by option name, as
/// text. Each method reads the ones it takes in <see cref="AttributionMethod.Configure"/>; the typed readers give a
/// one-line error naming the option for a bad value.
/// </summary>
public sealed class MethodSettings
{
    private readonly IReadOnlyDictionary<string, string> values;

    /// <summary>Settings from option name (e.g. <c>--steps</c>) to the text given.</summary>
    public MethodSettings(IReadOnlyDictionary<string, string> values)
    {
        this.values = values;
    }

    /// <summary>No settings: every method with its defaults.</summary>
    public static MethodSettings None { get; } = new(new Dictionary<string, string>());

    /// <summary>The names of the options given.</summary>
    public IEnumerable<string> Names => values.Keys;

    /// <summary>These settings with <paramref name="name"/> set to <paramref name="text"/> (replacing a given value).</summary>
    public MethodSettings With(string name, string text) =>
        new(new Dictionary<string, string>(values) { [name] = text });

    /// <summary>The text given for <paramref name="option"/>, or null.</summary>
    public string? Text(MethodOption option) => values.TryGetValue(option.Name, out string? text) ? text : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="InvalidOptionException">Not such a number.</exception>
    public int Int(MethodOption option, int fallback, int min = 1, int max = int.MaxValue)
    {
        if (Text(option) is not { } text) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        throw new InvalidOptionException(option.Name, max == int.MaxValue
            ? $"expected a whole number of at least {min}, got '{text}'"
            : $"expected a whole number from {min} to {max}, got '{text}'");
    }

    /// <summary>A finite number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="InvalidOptionException">Not such a number.</exception>
    public double Double(MethodOption option, double fallback, double min, double max)
    {
        if (Text(option) is not { } text) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= min && value <= max)
            return value;
        throw new InvalidOptionException(option.Name, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive, returned as listed), or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="InvalidOptionException">Another word.</exception>
    public string Choice(MethodOption option, string fallback, params string[] choices)
    {
        if (Text(option) is not { } text) return fallback;
        return choices.FirstOrDefault(c => string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOptionException(option.Name, $"expected {string.Join(", ", choices.SkipLast(1))} or {choices[^1]}, got '{text}'");
    }
}
