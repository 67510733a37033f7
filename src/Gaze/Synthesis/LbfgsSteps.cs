using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Limited-memory BFGS (Liu and Nocedal, Mathematical Programming 1989) on one image tensor, the optimiser Gatys et
/// al. used: the two-loop recursion over the last <see cref="History"/> steps and gradient changes gives a quasi-Newton
/// direction, scaled by sᵀy / yᵀy; one evaluation per step with a unit step (the first step is 1 / ‖g‖₁ long, as in
/// PyTorch's L-BFGS without line search). Owns its history; dispose it.
/// </summary>
internal sealed class LbfgsSteps : IDisposable
{
    private const int History = 100;
    private readonly LinkedList<(Tensor Step, Tensor Change, double Rho)> pairs = new();
    private Tensor? previousX;
    private Tensor? previousGradient;

    /// <summary>The next image after <paramref name="x"/>, whose gradient is <paramref name="gradient"/> (a new tensor).</summary>
    public Tensor Step(Tensor x, Tensor gradient)
    {
        using var scope = NewDisposeScope();
        Tensor g = gradient.to(ScalarType.Float64).flatten();
        if (previousX is not null && previousGradient is not null)
        {
            Tensor s = x.to(ScalarType.Float64).flatten() - previousX, y = g - previousGradient;
            double ys = y.dot(s).item<double>();
            // Only curvature-positive pairs keep the approximate inverse Hessian positive definite.
            if (ys > 1e-10)
            {
                pairs.AddLast((s.DetachFromDisposeScope(), y.DetachFromDisposeScope(), 1 / ys));
                if (pairs.Count > History) Drop();
            }
        }
        Tensor direction = Direction(g);
        double length = pairs.Count == 0 ? 1 / Math.Max(g.abs().sum().item<double>(), 1e-30) : 1;
        Replace(ref previousX, x.to(ScalarType.Float64).flatten());
        Replace(ref previousGradient, g);
        return (x - (direction * length).view(x.shape).to(x.dtype)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        while (pairs.Count > 0) Drop();
        previousX?.Dispose();
        previousGradient?.Dispose();
    }

    /// <summary>H g by the two-loop recursion.</summary>
    private Tensor Direction(Tensor g)
    {
        Tensor q = g.clone();
        var alphas = new Stack<double>();
        for (var node = pairs.Last; node is not null; node = node.Previous)
        {
            double alpha = node.Value.Rho * node.Value.Step.dot(q).item<double>();
            alphas.Push(alpha);
            q.add_(node.Value.Change, alpha: -alpha);
        }
        if (pairs.Last is { } last) q.mul_(1 / (last.Value.Rho * last.Value.Change.dot(last.Value.Change).item<double>()));
        for (var node = pairs.First; node is not null; node = node.Next)
        {
            double beta = node.Value.Rho * node.Value.Change.dot(q).item<double>();
            q.add_(node.Value.Step, alpha: alphas.Pop() - beta);
        }
        return q;
    }

    private void Drop()
    {
        var (s, y, _) = pairs.First!.Value;
        s.Dispose();
        y.Dispose();
        pairs.RemoveFirst();
    }

    private static void Replace(ref Tensor? slot, Tensor value)
    {
        slot?.Dispose();
        slot = value.DetachFromDisposeScope();
    }
}
