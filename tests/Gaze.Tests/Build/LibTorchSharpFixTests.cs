using Gaze.Build;
using Gaze.Tests.Support;

namespace Gaze.Tests.Build;

/// <summary>The ELF edit that lets libLibTorchSharp.so load on Debian 12 (REFERENCE.md section 2).</summary>
public class LibTorchSharpFixTests
{
    private const string Gcc13Symbol = "_ZSt21ios_base_library_initv";

    private static string PackageCopy()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    private static string OutputCopy() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static int CountOccurrences(byte[] data, string text)
    {
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(text + "\0");
        int count = 0;
        for (int i = 0; i + needle.Length <= data.Length; i++)
        {
            if (data.AsSpan(i, needle.Length).SequenceEqual(needle)) count++;
        }
        return count;
    }

    [Fact]
    public void Patch_renames_the_symbol_once_and_is_idempotent()
    {
        byte[] original = File.ReadAllBytes(PackageCopy());
        byte[] patched = (byte[])original.Clone();

        Assert.Equal(LibTorchSharpFixResult.Patched, LibTorchSharpFix.Patch(patched));
        Assert.Equal(original.Length, patched.Length);
        // One string (the .dynstr entry) loses the GCC 13 name; the file's other copy (.strtab) is untouched.
        Assert.Equal(CountOccurrences(original, Gcc13Symbol) - 1, CountOccurrences(patched, Gcc13Symbol));

        byte[] again = (byte[])patched.Clone();
        Assert.Equal(LibTorchSharpFixResult.AlreadyPatched, LibTorchSharpFix.Patch(again));
        Assert.Equal(patched, again);
    }

    [Fact]
    public void Build_patched_the_output_copy_but_not_the_package_cache()
    {
        byte[] cache = File.ReadAllBytes(PackageCopy());
        byte[] output = File.ReadAllBytes(OutputCopy());
        byte[] cacheProbe = (byte[])cache.Clone();
        Assert.Equal(LibTorchSharpFixResult.Patched, LibTorchSharpFix.Patch(cacheProbe));
        byte[] outputProbe = (byte[])output.Clone();
        var expected = LibTorchSharpFix.HostNeedsFix() ? LibTorchSharpFixResult.AlreadyPatched : LibTorchSharpFixResult.Patched;
        Assert.Equal(expected, LibTorchSharpFix.Patch(outputProbe));
    }

    [Fact]
    public void Apply_writes_atomically_and_rejects_non_elf_files()
    {
        using var dir = new TempDirectory();
        string copy = dir.File("libLibTorchSharp.so");
        File.Copy(PackageCopy(), copy);
        Assert.Equal(LibTorchSharpFixResult.Patched, LibTorchSharpFix.Apply(copy));
        Assert.Equal(LibTorchSharpFixResult.AlreadyPatched, LibTorchSharpFix.Apply(copy));
        Assert.Single(Directory.GetFiles(dir.Path));

        string text = dir.File("not-elf.so");
        File.WriteAllText(text, "hello");
        Assert.Throws<InvalidDataException>(() => LibTorchSharpFix.Apply(text));
    }
}
