using Gaze.Errors;
using Gaze.Reporting;
using Gaze.Tests.Support;

namespace Gaze.Tests.Reporting;

public class OutputDirectoryTests
{
    private static readonly DateTime Noon = new(2025, 3, 4, 12, 5, 9);

    [Fact]
    public void Fresh_directories_are_named_after_the_time_and_never_shared()
    {
        using var temp = new TempDirectory();
        string parent = temp.File("gaze-out");

        string first = OutputDirectory.CreateFresh(parent, Noon);
        string second = OutputDirectory.CreateFresh(parent, Noon);

        Assert.Equal(Path.Combine(parent, "20250304-120509"), first);
        Assert.Equal(Path.Combine(parent, "20250304-120509-2"), second);
        Assert.True(Directory.Exists(first) && Directory.Exists(second));
    }

    [Fact]
    public void A_fresh_directory_skips_names_already_in_use()
    {
        using var temp = new TempDirectory();
        string parent = temp.File("gaze-out");
        Directory.CreateDirectory(Path.Combine(parent, "20250304-120509"));
        File.WriteAllText(Path.Combine(parent, "20250304-120509", "results.json"), "{}");
        File.WriteAllText(Path.Combine(parent, "20250304-120509-2"), "a file");

        string fresh = OutputDirectory.CreateFresh(parent, Noon);

        Assert.Equal(Path.Combine(parent, "20250304-120509-3"), fresh);
        Assert.Empty(Directory.EnumerateFileSystemEntries(fresh));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(parent, "20250304-120509", "results.json")));
    }

    [Fact]
    public void Prepare_without_a_request_creates_a_fresh_directory_under_the_default_parent()
    {
        using var temp = new TempDirectory();
        string made = OutputDirectory.Prepare(null, defaultParent: temp.File("runs"));

        Assert.Equal(temp.File("runs"), Path.GetDirectoryName(made));
        Assert.Empty(Directory.EnumerateFileSystemEntries(made));
    }

    [Fact]
    public void Prepare_creates_a_requested_directory_or_accepts_an_empty_one()
    {
        using var temp = new TempDirectory();
        string nested = temp.File(Path.Combine("x", "y"));
        Assert.Equal(nested, OutputDirectory.Prepare(nested));
        Assert.True(Directory.Exists(nested));
        Assert.Equal(nested, OutputDirectory.Prepare(nested));
    }

    [Fact]
    public void Prepare_refuses_a_directory_with_files_unless_told_to_overwrite()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("old.txt"), "keep");

        var error = Assert.Throws<InvalidOptionException>(() => OutputDirectory.Prepare(temp.Path));
        Assert.Equal("--out", error.Option);
        Assert.Contains(temp.Path, error.Message);
        Assert.Equal(temp.Path, OutputDirectory.Prepare(temp.Path, overwrite: true));
        Assert.Equal("keep", File.ReadAllText(temp.File("old.txt")));
    }

    [Fact]
    public void Prepare_refuses_a_file()
    {
        using var temp = new TempDirectory();
        string file = temp.File("out");
        File.WriteAllText(file, "");
        var error = Assert.Throws<OutputFileException>(() => OutputDirectory.Prepare(file));
        Assert.Equal(file, error.FilePath);
    }

    [Fact]
    public void A_claimed_default_directory_and_the_parent_it_created_are_removed_again()
    {
        using var temp = new TempDirectory();
        string parent = temp.File("gaze-out");

        PreparedOutput output = OutputDirectory.Claim(null, defaultParent: parent);
        File.WriteAllText(Path.Combine(output.Path, "x.txt"), "x");
        output.RemoveIfCreated();

        Assert.False(Directory.Exists(parent));
    }

    [Fact]
    public void A_reused_directory_is_never_removed_and_loses_only_the_leftovers_of_an_interrupted_run()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("out");
        Directory.CreateDirectory(Path.Combine(dir, ".report-pictures"));
        File.WriteAllText(Path.Combine(dir, ".results.json.0123.tmp"), "half");
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "mine");

        PreparedOutput output = OutputDirectory.Claim(dir, overwrite: true);
        output.RemoveIfCreated();

        Assert.Empty(output.Created);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_output_option_names_the_option(string requested)
    {
        var error = Assert.Throws<InvalidOptionException>(() => OutputDirectory.Claim(requested));
        Assert.Equal("--out", error.Option);

        var result = CliRunner.Run("explain", SharedData.Require("images/cat-and-dog.png"), "--out", requested);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("gaze: --out: is empty", result.Error.Trim());
    }
}
