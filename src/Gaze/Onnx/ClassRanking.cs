using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>Top-K classification of already preprocessed inputs (the <c>gaze predict</c> command).</summary>
public static class ClassRanking
{
    /// <summary>
    /// The <paramref name="k"/> best classes of each sample of <paramref name="input"/>, best first. Probabilities
    /// are the softmax of the logits (<see cref="GraphRun.Scores"/>: the input of a final Softmax, else the output).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ClassScore>> TopK(OnnxGraph graph, Tensor input, int k, IReadOnlyList<string>? labels = null)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        using var scope = NewDisposeScope();
        using var run = graph.Run(input);
        return FromScores(run.Scores, k, labels);
    }

    /// <summary>The <paramref name="k"/> best classes of each row of <paramref name="scores"/> [N,K] (pre-softmax), best first.</summary>
    public static IReadOnlyList<IReadOnlyList<ClassScore>> FromScores(Tensor scores, int k, IReadOnlyList<string>? labels = null)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        using var scope = NewDisposeScope();
        var logits = scores.to(ScalarType.Float32);
        var probabilities = logits.softmax(1);
        int take = (int)Math.Min(k, logits.shape[1]);
        var (values, indices) = logits.topk(take, 1);
        var result = new List<IReadOnlyList<ClassScore>>();
        for (long n = 0; n < logits.shape[0]; n++)
        {
            var row = new List<ClassScore>(take);
            for (int j = 0; j < take; j++)
            {
                int index = (int)indices[n, j].item<long>();
                string? label = labels is not null && index < labels.Count ? labels[index] : null;
                row.Add(new ClassScore(index, label, probabilities[n, index].item<float>(), values[n, j].item<float>()));
            }
            result.Add(row);
        }
        return result;
    }
}
