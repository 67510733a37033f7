using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gaze.Errors;
using Gaze.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gaze.Training;

/// <summary>What a checkpoint says about the run that made it: enough to refuse resuming a different run.</summary>
internal sealed record CheckpointState
{
    public const int CurrentFormat = 1;

    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    [JsonPropertyName("epochs")] public int Epochs { get; init; }
    [JsonPropertyName("state_file")] public string StateFile { get; init; } = "";
    [JsonPropertyName("backbone_sha256")] public string BackboneSha256 { get; init; } = "";
    [JsonPropertyName("layer")] public string Layer { get; init; } = "";
    [JsonPropertyName("classes")] public IReadOnlyList<string> Classes { get; init; } = [];
    [JsonPropertyName("data_sha256")] public string DataSha256 { get; init; } = "";
    [JsonPropertyName("images")] public int Images { get; init; }
    [JsonPropertyName("input")] public string Input { get; init; } = "";
    [JsonPropertyName("unfreeze_last")] public int UnfreezeLast { get; init; }
    [JsonPropertyName("batch")] public int BatchSize { get; init; }
    [JsonPropertyName("lr")] public double LearningRate { get; init; }
    [JsonPropertyName("val_fraction")] public double ValidationFraction { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("history")] public IReadOnlyList<EpochResult> History { get; init; } = [];
}

/// <summary>
/// The checkpoint directory of a fine-tuning run (<c>OUT.checkpoint/</c>): <c>state-E.bin</c> holds the trained
/// parameters and Adam's state after epoch E, <c>checkpoint.json</c> describes the run and names that file. Each is
/// written to a temporary file and renamed, the JSON last, so the checkpoint always describes a complete epoch even
/// when the process is killed while writing.
/// </summary>
internal sealed class FinetuneCheckpoint(string directory)
{
    private const string Magic = "gaze-finetune-state-1";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Directory { get; } = directory;

    public string StatePath => Path.Combine(Directory, "checkpoint.json");

    public bool Exists => File.Exists(StatePath);

    /// <summary>Reads <c>checkpoint.json</c>.</summary>
    /// <exception cref="CheckpointException">There is none or it is unreadable.</exception>
    public CheckpointState Read()
    {
        if (!Exists) throw new CheckpointException(Directory, "holds no checkpoint to resume; run without --resume to start");
        try
        {
            var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(StatePath), Json)
                ?? throw new CheckpointException(StatePath, "is empty");
            if (state.Format != CheckpointState.CurrentFormat)
                throw new CheckpointException(StatePath, $"has format {state.Format}, this Gaze reads {CheckpointState.CurrentFormat}");
            return state;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(StatePath, $"cannot be read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Saves the parameters and optimizer state after <paramref name="state"/>'s epoch, then the description.</summary>
    public void Write(CheckpointState state, IReadOnlyList<(string Name, Tensor Value)> parameters, OptimizerHelper optimizer)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string stateFile = $"state-{state.Epoch.ToString(CultureInfo.InvariantCulture)}.bin";
        AtomicFile.Write(Path.Combine(Directory, stateFile), stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(parameters.Count);
            foreach (var (name, value) in parameters)
            {
                writer.Write(name);
                using var copy = value.detach().contiguous();
                copy.Save(writer);
            }
            optimizer.save_state_dict(writer);
        });
        var described = state with { StateFile = stateFile };
        AtomicFile.WriteAllBytes(StatePath, JsonSerializer.SerializeToUtf8Bytes(described, Json));
        // Only now is the older state unreferenced.
        foreach (string old in System.IO.Directory.EnumerateFiles(Directory, "state-*.bin"))
            if (Path.GetFileName(old) != stateFile) File.Delete(old);
    }

    /// <summary>Loads the parameters (in place) and the optimizer state that <paramref name="state"/> names.</summary>
    /// <exception cref="CheckpointException">The file is missing, truncated or holds other parameters.</exception>
    public void Load(CheckpointState state, IReadOnlyList<(string Name, Tensor Value)> parameters, OptimizerHelper optimizer)
    {
        string path = Path.Combine(Directory, state.StateFile);
        if (!File.Exists(path)) throw new CheckpointException(path, "is missing; the checkpoint is incomplete, run without --resume to start over");
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new CheckpointException(path, "is not a Gaze fine-tuning state file");
            int count = reader.ReadInt32();
            if (count != parameters.Count)
                throw new CheckpointException(path, $"holds {count} parameters, this run trains {parameters.Count}");
            using var noGrad = torch.no_grad();
            foreach (var (name, value) in parameters)
            {
                string stored = reader.ReadString();
                if (stored != name) throw new CheckpointException(path, $"holds parameter '{stored}' where this run has '{name}'");
                using var loaded = Tensor.Load(reader);
                if (!loaded.shape.SequenceEqual(value.shape))
                    throw new CheckpointException(path, $"parameter '{name}' has shape [{string.Join(",", loaded.shape)}], expected [{string.Join(",", value.shape)}]");
                value.copy_(loaded);
            }
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointException(path, $"cannot be read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Removes the checkpoint once the final model is written.</summary>
    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>The SHA-256 of a file, hex.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The SHA-256 of the image list: relative paths and classes, so renamed, added or moved files count.</summary>
    public static string Sha256OfImages(ImageFolder folder)
    {
        var text = new StringBuilder();
        foreach (var image in folder.Images)
        {
            string relative = Path.GetRelativePath(folder.Root, image.Path).Replace('\\', '/');
            text.Append(relative).Append('\t').Append(folder.Classes[image.ClassIndex]).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
