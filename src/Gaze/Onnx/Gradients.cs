using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>
/// Gradients of a scalar with respect to chosen tensors only (captured layers or inputs): nothing is accumulated
/// into parameters' <c>.grad</c>, and paths that lead only to parameters are not computed.
/// </summary>
public static class Gradients
{
    /// <summary>d<paramref name="scalar"/>/d<paramref name="wrt"/>; zeros when the scalar does not depend on it.</summary>
    public static Tensor Of(Tensor scalar, Tensor wrt, bool retainGraph = false) => Of(scalar, [wrt], retainGraph)[0];

    /// <summary>d<paramref name="scalar"/>/d(each of <paramref name="wrt"/>); zeros where the scalar does not depend on one.</summary>
    /// <param name="scalar">A one-element tensor from a run with <see cref="RunOptions.Gradients"/>.</param>
    /// <param name="wrt">Tensors of that run (captured layers, <see cref="GraphRun.Inputs"/>).</param>
    /// <param name="retainGraph">Keep the autograd graph for further gradient calls on the same run.</param>
    public static Tensor[] Of(Tensor scalar, IReadOnlyList<Tensor> wrt, bool retainGraph = false)
    {
        if (scalar.numel() != 1) throw new ArgumentException($"the gradient source must be a scalar, got shape [{string.Join(",", scalar.shape)}]", nameof(scalar));
        if (!scalar.requires_grad)
            throw new InvalidOperationException("the scalar has no autograd history; run the graph with RunOptions.Gradients or InputGradient");
        using var enabled = enable_grad();
        var grads = autograd.grad([scalar], wrt.ToList(), retain_graph: retainGraph, allow_unused: true);
        var result = new Tensor[wrt.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = grads[i] is { IsInvalid: false } g ? g : zeros_like(wrt[i]);
        return result;
    }
}
