using static TorchSharp.torch;

namespace Gaze.Training;

/// <summary>Tensors that live for a whole training run, outside any dispose scope, freed together.</summary>
internal sealed class DisposableTensors : IDisposable
{
    private readonly List<Tensor> tensors = [];

    /// <summary>Takes a pair of tensors out of the current dispose scope and keeps them until disposal.</summary>
    public (Tensor, Tensor) Keep((Tensor First, Tensor Second) pair)
    {
        tensors.Add(pair.First.DetachFromDisposeScope());
        tensors.Add(pair.Second.DetachFromDisposeScope());
        return pair;
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor t in tensors) t.Dispose();
        tensors.Clear();
    }
}
