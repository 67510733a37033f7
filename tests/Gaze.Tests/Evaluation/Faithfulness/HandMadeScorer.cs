using static TorchSharp.torch;

namespace Gaze.Tests.Evaluation.Faithfulness;

/// <summary>
/// A two-class scorer whose class-0 probability is exactly S / total, S the sum of an image's values: the scores are
/// (ln S, ln(total − S)). It records every batch it is given.
/// </summary>
internal sealed class HandMadeScorer(double total)
{
    public List<Tensor> Batches { get; } = [];

    public Tensor Scores(Tensor batch)
    {
        Batches.Add(batch.detach().clone().DetachFromDisposeScope());
        Tensor sums = batch.to(ScalarType.Float64).flatten(1).sum([1]);
        return stack([sums.log(), (total - sums).log()], 1);
    }
}
