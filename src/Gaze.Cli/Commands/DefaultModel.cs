using System.CommandLine;
using Gaze.Errors;

namespace Gaze.Cli.Commands;

/// <summary>
/// The built-in default model: the shapes CNN Gaze trained itself (assets/shapes-cnn.onnx in the repository,
/// copied beside the executable), used when a command gets no <c>--model</c>.
/// </summary>
public static class DefaultModel
{
    /// <summary>The folder beside the executable that holds the shipped model and samples.</summary>
    public static string AssetsDirectory => Path.Combine(AppContext.BaseDirectory, "assets");

    /// <summary>The shipped model's path.</summary>
    public static string ModelPath => Path.Combine(AssetsDirectory, "shapes-cnn.onnx");

    /// <summary>The folder of shipped sample images (generated shapes with annotations.json).</summary>
    public static string SamplesDirectory => Path.Combine(AssetsDirectory, "samples");

    /// <summary>An optional <c>--model</c> option whose absence means the built-in model.</summary>
    public static Option<string?> Option() => new("--model", "-m")
    {
        Description = "The ONNX model (its .gaze.json sidecar is read if present); default: the built-in shapes CNN",
        HelpName = "MODEL",
    };

    /// <summary>The given model, or the built-in one.</summary>
    /// <exception cref="InputFileNotFoundException">No model was given and the built-in one is missing.</exception>
    public static string Resolve(string? given)
    {
        if (given is not null) return given;
        if (!File.Exists(ModelPath)) throw new InputFileNotFoundException(ModelPath);
        return ModelPath;
    }
}
