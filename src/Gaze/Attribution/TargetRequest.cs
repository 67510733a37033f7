using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// Which class to explain for each image of a batch: fixed classes, or the class of a given rank in each image's own
/// scores. Ranked targets are resolved from the forward pass the method runs anyway, so explaining the top class
/// costs no extra pass.
/// </summary>
public sealed class TargetRequest
{
    private readonly IReadOnlyList<int>? classes;
    private readonly int rank;

    private TargetRequest(IReadOnlyList<int>? classes, int rank)
    {
        this.classes = classes;
        this.rank = rank;
    }

    /// <summary>One fixed class per image.</summary>
    public static TargetRequest Classes(IReadOnlyList<int> classes) => new(classes, 0);

    /// <summary>Each image's class of rank <paramref name="rank"/> (0 = best) in its own scores.</summary>
    public static TargetRequest Ranked(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return new(null, rank);
    }

    /// <summary>The target of every image for the scores [N,classes] of a batch.</summary>
    /// <exception cref="ArgumentException">Fixed classes whose count is not the batch size.</exception>
    public IReadOnlyList<int> Resolve(Tensor scores)
    {
        if (classes is not null)
        {
            if (classes.Count != scores.shape[0])
                throw new ArgumentException($"{classes.Count} targets for a batch of {scores.shape[0]}", nameof(scores));
            return classes;
        }
        using var scope = NewDisposeScope();
        // The same ranking as the predictions reported beside the maps (topk of the float32 logits).
        var (_, indices) = scores.to(ScalarType.Float32).topk(rank + 1, 1);
        return indices.select(1, rank).data<long>().Select(i => (int)i).ToArray();
    }
}
