using System.CommandLine;
using Gaze.Onnx;

namespace Gaze.Cli;

/// <summary>
/// Finds a misspelt option that a command's file arguments swallowed: commands that take any number of files
/// (explain, predict) would otherwise report <c>--methd</c> as a missing file instead of an unknown option.
/// </summary>
internal static class UnknownOptions
{
    /// <summary>A one-line message for the first argument value that looks like an option but is neither one nor an existing file, or null.</summary>
    public static string? Find(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        var known = command.Options.Concat(parse.RootCommandResult.Command.Options)
            .SelectMany(o => o.Aliases.Append(o.Name)).Where(name => name.StartsWith('-')).ToList();
        foreach (Argument argument in command.Arguments)
        {
            if (parse.GetResult(argument) is not { } result) continue;
            foreach (var token in result.Tokens)
            {
                string value = token.Value;
                if (!value.StartsWith('-') || value == "-" || File.Exists(value) || Directory.Exists(value)) continue;
                string name = value.Split('=')[0];
                string nearest = NameSuggestions.Nearest(name, known, 1).FirstOrDefault() ?? "";
                // A typo is a few edits away; naming '--range' for '--frobnicate' would only mislead.
                if (NameSuggestions.Distance(name, nearest) > Math.Max(2, name.Length / 3)) nearest = "";
                return $"unknown option '{name}' for '{command.Name}'{(nearest.Length > 0 ? $"; did you mean '{nearest}'?" : "")}";
            }
        }
        return null;
    }
}
