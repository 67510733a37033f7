namespace Gaze.Errors;

/// <summary>
/// The plain-words part of an error message from libtorch or ONNX Runtime, on one line: libtorch appends the C++
/// source location and a stack of frames ("Exception raised from check_shape_forward at /pytorch/aten/...
/// frame #0: ..."), and ONNX Runtime puts an error code, a source file and the throwing C++ function before its
/// text ("[ErrorCode:Fail] /onnxruntime_src/.../model.cc:181 void onnxruntime::Model::...(...) Opset 99 ..."); neither
/// means anything to a user, the words around them say what went wrong.
/// </summary>
public static class EngineMessage
{
    /// <summary><paramref name="message"/> without libtorch's trailer, its lines joined, at most <paramref name="maxLength"/> characters.</summary>
    public static string Plain(string message, int maxLength = 300)
    {
        int trailer = message.IndexOf("Exception raised from", StringComparison.Ordinal);
        if (trailer >= 0) message = message[..trailer];
        int frames = message.IndexOf("frame #0", StringComparison.Ordinal);
        if (frames >= 0) message = message[..frames];
        if (message.StartsWith("[ErrorCode:", StringComparison.Ordinal) && message.IndexOf(']') is int code and > 0)
            message = message[(code + 1)..];
        int source = message.IndexOf("onnxruntime_src", StringComparison.Ordinal);
        if (source >= 0)
        {
            // The function's signature ends at the first ") " followed by a capital letter: the message proper.
            int start = message.LastIndexOf(' ', source) + 1;
            int end = source;
            while ((end = message.IndexOf(") ", end, StringComparison.Ordinal)) >= 0 && !(end + 2 < message.Length && char.IsUpper(message[end + 2])))
                end++;
            message = message[..start] + (end >= 0 ? message[(end + 2)..] : "");
        }
        string line = string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length > maxLength ? line[..maxLength] + "..." : line;
    }
}
