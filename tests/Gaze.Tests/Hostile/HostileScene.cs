using Gaze.Tests.Support;

namespace Gaze.Tests.Hostile;

/// <summary>
/// The temporary folder one hostile case runs in: where its files are made, the <c>--out</c> folder it may name, and
/// the file its error line must name (<see cref="Subject"/>).
/// </summary>
internal sealed class HostileScene : IDisposable
{
    private readonly TempDirectory directory = new();

    /// <summary>The folder's absolute path.</summary>
    public string Root => directory.Path;

    /// <summary>An output folder that does not exist yet (unless <see cref="CreateOut"/> made it).</summary>
    public string Out => directory.File("out");

    /// <summary>Whether the case made <see cref="Out"/> before the run.</summary>
    public bool OutExisted { get; private set; }

    /// <summary>The file the error line must name, set by the methods that make the hostile file.</summary>
    public string? Subject { get; set; }

    /// <summary>Path of <paramref name="name"/> in the folder (nothing is created).</summary>
    public string File(string name) => directory.File(name);

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="name"/> and makes it the <see cref="Subject"/>.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = directory.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        Subject = path;
        return path;
    }

    /// <summary>Writes <paramref name="text"/> as <paramref name="name"/> and makes it the <see cref="Subject"/>.</summary>
    public string WriteText(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Makes <see cref="Out"/> as an existing, empty folder and returns it.</summary>
    public string CreateOut()
    {
        Directory.CreateDirectory(Out);
        OutExisted = true;
        return Out;
    }

    /// <summary>A copy of the MNIST model (no sidecar) in a folder of its own, <c>model/mnist.onnx</c>.</summary>
    public string CopyMnist()
    {
        string model = directory.File("model/mnist.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        System.IO.File.Copy(SharedData.Require("models/mnist-cntk.onnx"), model);
        return model;
    }

    /// <summary>A small valid image (16x16 RGB PNG), not the subject.</summary>
    public string GoodImage(string name = "good.png")
    {
        string path = directory.File(name);
        System.IO.File.WriteAllBytes(path, HostilePng.Rgb(16, 16));
        return path;
    }

    /// <inheritdoc />
    public void Dispose() => directory.Dispose();
}
