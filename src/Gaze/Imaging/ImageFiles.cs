using Gaze.Errors;

namespace Gaze.Imaging;

/// <summary>Expands the <c>IMAGE|DIR...</c> arguments of a command into the image files to process.</summary>
public static class ImageFiles
{
    /// <summary>
    /// Files in argument order; each directory contributes its files with a supported extension
    /// (<see cref="ImageDecoder.SupportedExtensions"/>), sorted by name (ordinal, so the order is the same everywhere).
    /// A file named explicitly is kept whatever its extension, so that decoding reports what is wrong with it.
    /// A file reached twice is listed once.
    /// </summary>
    /// <param name="arguments">Image files and directories, as the user gave them.</param>
    /// <param name="recursive">Also search subdirectories of the given directories.</param>
    /// <exception cref="InputFileNotFoundException">An argument is neither a file nor a directory.</exception>
    /// <exception cref="GazeFileException">A directory holds no images or cannot be listed.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments, bool recursive = false)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string argument in arguments)
        {
            if (File.Exists(argument))
            {
                if (seen.Add(Path.GetFullPath(argument))) files.Add(argument);
            }
            else if (Directory.Exists(argument))
            {
                var found = ImagesIn(argument, recursive);
                if (found.Count == 0)
                    throw new GazeFileException(argument, $"directory holds no images ({string.Join(", ", ImageDecoder.SupportedExtensions)})");
                files.AddRange(found.Where(file => seen.Add(Path.GetFullPath(file))));
            }
            else
            {
                throw new InputFileNotFoundException(argument);
            }
        }
        return files.AsReadOnly();
    }

    private static List<string> ImagesIn(string directory, bool recursive)
    {
        try
        {
            var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
            var found = Directory.EnumerateFiles(directory, "*", option).Where(ImageDecoder.HasSupportedExtension).ToList();
            found.Sort(StringComparer.Ordinal);
            return found;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GazeFileException(directory, $"cannot list: {e.Message}", e);
        }
    }
}
