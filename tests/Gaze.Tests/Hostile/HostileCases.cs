namespace Gaze.Tests.Hostile;

/// <summary>Every case of the hostile-input suite, by family, looked up by id.</summary>
internal static class HostileCases
{
    /// <summary>The cases in the order README lists them: images, models, sidecars, options, output and signals.</summary>
    public static IReadOnlyList<HostileCase> All { get; } =
        [.. ImageCases.All, .. ModelCases.All, .. SidecarCases.All, .. OptionCases.All, .. OutputCases.All];

    private static readonly IReadOnlyDictionary<string, HostileCase> ById = All.ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>The case with <paramref name="id"/>.</summary>
    public static HostileCase Get(string id) => ById[id];
}
