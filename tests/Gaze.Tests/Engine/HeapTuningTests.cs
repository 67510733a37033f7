using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using Gaze.Tests.Support;
using static TorchSharp.torch;

namespace Gaze.Tests.Engine;

/// <summary>
/// Repeated passes reuse the memory of earlier ones instead of faulting in fresh pages (the heap settings applied
/// when a graph is loaded): a SqueezeNet pass at batch 8 faults in about 8,600 new pages with glibc's defaults and
/// under 2,000 with the settings. Page faults are counted for the whole process, so the test runs alone.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class HeapTuningTests
{
    [Fact]
    public void Repeated_forward_passes_fault_in_almost_no_new_pages()
    {
        using var graph = OnnxGraph.Load(SharedData.Require("models/squeezenet1.1-caffe2-fp16.onnx"));
        using var scope = NewDisposeScope();
        var input = EngineBenchmark.RandomInput(graph, 8, null);
        void Pass()
        {
            using var inner = NewDisposeScope();
            using var run = graph.Run(input);
        }
        Pass();
        Pass();

        long before = MinorFaults();
        for (int i = 0; i < 5; i++) Pass();
        long perPass = (MinorFaults() - before) / 5;

        Assert.True(perPass < 2000, $"{perPass} page faults per pass");
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat).</summary>
    private static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7]);
    }
}
