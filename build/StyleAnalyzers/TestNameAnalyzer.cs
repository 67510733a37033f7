using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Gaze.StyleAnalyzers;

/// <summary>
/// GAZE001: an xunit test ([Fact] or [Theory]) is named as a sentence of at least two words joined by underscores,
/// the first letter upper case: <c>Written_annotations_read_back_identically</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TestNameAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic's id.</summary>
    public const string DiagnosticId = "GAZE001";

    private static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        title: "Test names are sentences with underscores",
        messageFormat: "test names are sentences with underscores: '{0}' should be words joined by underscores with the first upper case, like '{1}'",
        category: "Naming",
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A method marked [Fact] or [Theory] must match ^[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$.");

    private static readonly Regex SentenceName = new("^[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$", RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.GetAttributes().Any(IsTestAttribute) || SentenceName.IsMatch(method.Name)) return;
        foreach (Location location in method.Locations)
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, method.Name, Suggest(method.Name)));
    }

    /// <summary>[Fact], [Theory], [Xunit.Fact], [FactAttribute] ...: the attribute's class is called Fact or Theory.</summary>
    private static bool IsTestAttribute(AttributeData attribute) =>
        attribute.AttributeClass?.Name is "FactAttribute" or "TheoryAttribute" or "Fact" or "Theory";

    /// <summary>A name in the expected style: PascalCase words split, all but the first in lower case.</summary>
    internal static string Suggest(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool startsWord = char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (c == '_' || startsWord)
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
                if (c == '_') continue;
            }
            word.Append(c);
        }
        if (word.Length > 0) words.Add(word.ToString());
        if (words.Count == 0) return "Describe_what_is_tested";
        for (int i = 0; i < words.Count; i++)
            words[i] = i == 0 ? char.ToUpperInvariant(words[i][0]) + words[i].Substring(1).ToLowerInvariant() : words[i].ToLowerInvariant();
        if (words.Count == 1) words.Add("does_what");
        return string.Join("_", words);
    }
}
