using System.CommandLine;
using Gaze.Attribution;
using Gaze.Explaining;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>--method</c> and the method-specific options (<c>--layer</c>, <c>--aug-smooth</c>, <c>--eigen-smooth</c>),
/// described from the method registry.
/// </summary>
public sealed class MethodOptions
{
    private readonly MethodRegistry registry;

    /// <summary>Declares the options for the methods of <paramref name="registry"/>.</summary>
    /// <param name="registry">The methods offered.</param>
    /// <param name="defaultMethod">The value of <c>--method</c> when it is not given, or null for none.</param>
    /// <param name="several">Whether <c>--method</c> takes a comma-separated list (and <c>all</c>).</param>
    /// <param name="purpose">What <c>--method</c> does, for <c>--help</c>.</param>
    public MethodOptions(MethodRegistry registry, string? defaultMethod, bool several = true, string? purpose = null)
    {
        this.registry = registry;
        string methods = string.Join(Environment.NewLine, registry.Methods.Select(m => $"  {m.Name,-20} {m.Summary}"));
        Method = new Option<string?>("--method")
        {
            Description = (purpose ?? (several ? "Comma-separated methods, or 'all'" : "The method")) + ":" + Environment.NewLine + methods,
            DefaultValueFactory = _ => defaultMethod,
            HelpName = several ? "M1,M2" : "M",
        };
        Layer = new Option<string?>(MethodOption.Layer.Name) { Description = MethodOption.Layer.Description, HelpName = "L1,L2" };
        AugSmooth = new Option<bool>(MethodOption.AugSmooth.Name) { Description = MethodOption.AugSmooth.Description };
        EigenSmooth = new Option<bool>(MethodOption.EigenSmooth.Name) { Description = MethodOption.EigenSmooth.Description };
        Values = registry.Options.Where(o => o.ValueName is not null)
            .Select(o => new Option<string?>(o.Name) { Description = o.Description, HelpName = o.ValueName })
            .ToArray();
    }

    /// <summary>The methods' valued options (<c>--steps</c>, <c>--baseline</c>, ...), one per option of the registry.</summary>
    public IReadOnlyList<Option<string?>> Values { get; }

    /// <summary><c>--method</c>.</summary>
    public Option<string?> Method { get; }

    /// <summary><c>--layer</c>.</summary>
    public Option<string?> Layer { get; }

    /// <summary><c>--aug-smooth</c>.</summary>
    public Option<bool> AugSmooth { get; }

    /// <summary><c>--eigen-smooth</c>.</summary>
    public Option<bool> EigenSmooth { get; }

    /// <summary>
    /// Adds <c>--method</c>, <c>--layer</c>, with <paramref name="withSmoothing"/> the smoothing options and with
    /// <paramref name="withValues"/> the methods' valued options, except those named in <paramref name="taken"/>
    /// (which the command uses for something else), to <paramref name="command"/>.
    /// </summary>
    public void AddTo(Command command, bool withSmoothing, bool withValues = true, IReadOnlyCollection<string>? taken = null)
    {
        command.Add(Method);
        command.Add(Layer);
        if (withValues)
        {
            foreach (Option<string?> option in Values.Where(o => taken is null || !taken.Contains(o.Name))) command.Add(option);
        }
        if (!withSmoothing) return;
        command.Add(AugSmooth);
        command.Add(EigenSmooth);
    }

    /// <summary>The valued method options the user gave.</summary>
    public MethodSettings Settings(ParseResult parse) => new(Values
        .Where(option => parse.GetResult(option) is { Implicit: false })
        .ToDictionary(option => option.Name, option => parse.GetValue(option) ?? ""));

    /// <summary>The chosen methods, by the registry's names (<c>all</c> for every one).</summary>
    /// <exception cref="Errors.InvalidOptionException">No or an unknown method.</exception>
    public IReadOnlyList<AttributionMethod> Parse(ParseResult parse) => registry.Parse(parse.GetValue(Method) ?? "");

    /// <summary>
    /// The one chosen method, checked against <c>--layer</c> (for commands without an <see cref="ExplanationRun"/>,
    /// which checks its own request).
    /// </summary>
    /// <exception cref="Errors.InvalidOptionException">An unknown method, an option it does not take, or a bad value.</exception>
    public AttributionMethod ParseSingle(ParseResult parse)
    {
        AttributionMethod method = registry.Get(parse.GetValue(Method) ?? "", Method.Name);
        MethodSettings settings = Settings(parse);
        MethodRegistry.RequireApplicable([method], parse.GetValue(Layer) is null ? settings.Names : [Layer.Name, .. settings.Names]);
        return method.Configure(settings);
    }
}
