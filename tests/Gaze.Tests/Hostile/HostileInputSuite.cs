using System.Text.RegularExpressions;
using Gaze.Tests.Support;

namespace Gaze.Tests.Hostile;

/// <summary>
/// The hostile-input suite (issue #12): every case of <see cref="HostileCases"/> runs the CLI on inputs made to
/// break it and checks the same promises: the documented exit code; for anything but success exactly one line on
/// standard error, starting <c>gaze: </c> and naming the file or option; never a stack trace; and no output left
/// behind by a run that produced nothing (no results.json, report.html, image folder or temporary file).
/// </summary>
public sealed partial class HostileInputSuite
{
    public static TheoryData<string> Ids => [.. HostileCases.All.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_hostile_input_gets_its_documented_answer(string id)
    {
        HostileCase hostile = HostileCases.Get(id);
        using var scene = new HostileScene();
        string[] args = hostile.Arguments(scene);

        CliRunner.Result result = hostile.Run(scene, args);

        string shown = $"{id}: exit {result.ExitCode}\nstderr:\n{result.Error}\nstdout:\n{Shorten(result.Output)}";
        Assert.True(result.ExitCode == hostile.ExitCode, $"expected exit {hostile.ExitCode}; {shown}");
        foreach (string stream in new[] { result.Error, result.Output })
        {
            Assert.False(stream.Contains("   at ", StringComparison.Ordinal) || stream.Contains("Exception", StringComparison.Ordinal),
                $"a stack trace or exception name; {shown}");
        }

        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (hostile.Says is null)
        {
            Assert.True(lines.Length == 0, $"expected nothing on standard error; {shown}");
        }
        else
        {
            string line = Assert.Single(lines);
            Assert.StartsWith("gaze: ", line);
            Assert.Contains(hostile.Says, line);
            string? named = hostile.Names(scene);
            Assert.True(named is not null, $"{id} names neither file nor option");
            Assert.Contains(named, line);
        }
        if (hostile.ExitCode != 0) Assert.True(hostile.Says is not null, $"{id}: a failure must say what is wrong");

        AssertNoTemporaryFiles(scene.Root);
        if (args.Any(arg => arg.StartsWith(scene.Out, StringComparison.Ordinal))) AssertOutputMatches(scene, hostile.ExitCode);
        hostile.Then?.Invoke(scene, result);
    }

    [Fact]
    public void The_suite_has_at_least_forty_five_cases_with_unique_well_formed_ids()
    {
        Assert.True(HostileCases.All.Count >= 45, $"{HostileCases.All.Count} cases");
        Assert.Equal(HostileCases.All.Count, HostileCases.All.Select(c => c.Id).Distinct().Count());
        foreach (HostileCase hostile in HostileCases.All)
        {
            Assert.Matches(IdPattern(), hostile.Id);
            Assert.False(string.IsNullOrWhiteSpace(hostile.Input), hostile.Id);
        }
    }

    [Fact]
    public void Readme_lists_every_case_of_the_suite_in_its_reliability_section()
    {
        string readme = File.ReadAllText(RepositoryFiles.Require("README.md"));
        int start = readme.IndexOf("\n### Hostile-input suite\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '### Hostile-input suite' section");
        Assert.True(readme.LastIndexOf("\n## Reliability\n", start, StringComparison.Ordinal) >= 0, "the section is not inside '## Reliability'");
        int end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? readme[start..] : readme[start..end];

        var listed = section.Split('\n')
            .Select(line => (Line: line, Match: TableId().Match(line)))
            .Where(row => row.Match.Success)
            .ToDictionary(row => row.Match.Groups["id"].Value, row => row.Line);
        string[] missing = [.. HostileCases.All.Select(c => c.Id).Where(id => !listed.ContainsKey(id))];
        Assert.True(missing.Length == 0, "missing from README's hostile-input table: " + string.Join(", ", missing));
        // Rows for cases another test class owns say so; any other row must be a case of this suite.
        var known = HostileCases.All.Select(c => c.Id).ToHashSet();
        string[] stale = [.. listed.Where(row => !known.Contains(row.Key) && !OtherTest().IsMatch(row.Value)).Select(row => row.Key)];
        Assert.True(stale.Length == 0, "README lists cases the suite does not have: " + string.Join(", ", stale));
    }

    private static void AssertNoTemporaryFiles(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        string[] leftovers = [.. Directory.EnumerateFiles(root, "*.tmp", options)];
        Assert.True(leftovers.Length == 0, "temporary files left: " + string.Join(", ", leftovers));
    }

    /// <summary>A run that explained nothing leaves no trace in --out; one that explained something writes both files.</summary>
    private static void AssertOutputMatches(HostileScene scene, int exitCode)
    {
        if (exitCode is 0 or 4)
        {
            Assert.True(File.Exists(Path.Combine(scene.Out, "results.json")), "results.json missing");
            Assert.True(File.Exists(Path.Combine(scene.Out, "report.html")), "report.html missing");
            Assert.False(Directory.Exists(Path.Combine(scene.Out, ".report-pictures")), "the report's picture cache was left");
        }
        else if (scene.OutExisted)
        {
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(scene.Out), entry => Path.GetFileName(entry) != "keep.txt");
        }
        else
        {
            Assert.False(Directory.Exists(scene.Out), $"{scene.Out} was left behind");
        }
    }

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "...";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\|\s*`(?<id>[a-z0-9-]+)`\s*\|")]
    private static partial Regex TableId();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]+Tests\b")]
    private static partial Regex OtherTest();
}
