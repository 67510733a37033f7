using Gaze.Errors;
using Gaze.Onnx.Proto;
using Google.Protobuf;

namespace Gaze.Onnx;

/// <summary>Reads an ONNX file into its protobuf model, turning every way a file can be wrong into a one-line error.</summary>
internal static class OnnxModelReader
{
    /// <summary>Parses the model at <paramref name="path"/>; throws <see cref="ModelFormatException"/> naming the file when it is not a usable ONNX model.</summary>
    public static ModelProto Read(string path)
    {
        // A pipe would block and a device never end: refused before they are opened, as is a file over protobuf's limit.
        if (IO.SuppliedFile.Problem(path, IO.SuppliedFile.MaxModelBytes, "a model file") is { } problem)
            throw new ModelFormatException(path, problem);
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelFormatException(path, "cannot be read: " + e.Message, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFormatException(path, "cannot be read: " + e.Message, e);
        }
        if (bytes.Length == 0) throw new ModelFormatException(path, "empty file (0 bytes), not an ONNX model");

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(path, "not an ONNX model, or truncated (protobuf: " + EngineMessage.Plain(e.Message, 160) + ")", e);
        }
        if (model.Graph is null || model.IrVersion <= 0 || model.Graph.Output.Count == 0)
            throw new ModelFormatException(path, "not an ONNX model, or truncated (no graph with outputs found)");
        return model;
    }

}
