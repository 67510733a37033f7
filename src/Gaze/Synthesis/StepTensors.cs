using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>How the optimisation loops carry their image from step to step without holding every past one.</summary>
internal static class StepTensors
{
    /// <summary>Frees <paramref name="old"/> and moves <paramref name="next"/> out of the step's scope, so memory stays flat.</summary>
    public static Tensor Replace(Tensor old, Tensor next)
    {
        next.MoveToOuterDisposeScope();
        old.Dispose();
        return next;
    }
}
