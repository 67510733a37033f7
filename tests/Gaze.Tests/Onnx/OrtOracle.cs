using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Tests.Onnx;

/// <summary>Runs a model file in ONNX Runtime on float32 inputs given as TorchSharp tensors.</summary>
internal static class OrtOracle
{
    public static Dictionary<string, torch.Tensor> Run(string modelPath, IReadOnlyDictionary<string, torch.Tensor> inputs, params string[] outputs)
    {
        using var session = new InferenceSession(modelPath);
        var feeds = inputs.Select(kv => NamedOnnxValue.CreateFromTensor(kv.Key,
            new DenseTensor<float>(kv.Value.to(ScalarType.Float32).contiguous().data<float>().ToArray(), kv.Value.shape.Select(d => (int)d).ToArray()))).ToList();
        using var results = outputs.Length > 0 ? session.Run(feeds, outputs) : session.Run(feeds);
        var map = new Dictionary<string, torch.Tensor>();
        foreach (var r in results)
        {
            var t = r.AsTensor<float>();
            map[r.Name] = torch.tensor(t.ToArray(), t.Dimensions.ToArray().Select(d => (long)d).ToArray());
        }
        return map;
    }

    /// <summary>max |a - b| / max |b|.</summary>
    public static double RelativeDifference(torch.Tensor actual, torch.Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        double diff = (actual.to(ScalarType.Float32) - expected).abs().max().item<float>();
        return scale > 0 ? diff / scale : diff;
    }
}
