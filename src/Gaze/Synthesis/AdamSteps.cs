using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Adam (Kingma and Ba, ICLR 2015) on one image tensor, with PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8): the
/// optimiser of the CS231n style transfer. Owns its moment estimates; dispose it.
/// </summary>
internal sealed class AdamSteps : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly Tensor mean;
    private readonly Tensor squares;
    private int steps;

    public AdamSteps(Tensor like)
    {
        mean = zeros_like(like).DetachFromDisposeScope();
        squares = zeros_like(like).DetachFromDisposeScope();
    }

    /// <summary>x − rate · m̂ / (√v̂ + ε) after folding in <paramref name="gradient"/> (a new tensor).</summary>
    public Tensor Step(Tensor x, Tensor gradient, double rate)
    {
        steps++;
        mean.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
        squares.mul_(Beta2).addcmul_(gradient, gradient, 1 - Beta2);
        double correction1 = 1 - Math.Pow(Beta1, steps), correction2 = 1 - Math.Pow(Beta2, steps);
        using var scope = NewDisposeScope();
        Tensor denominator = (squares / correction2).sqrt_().add_(Epsilon);
        return (x - mean / denominator * (rate / correction1)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        mean.Dispose();
        squares.Dispose();
    }
}
