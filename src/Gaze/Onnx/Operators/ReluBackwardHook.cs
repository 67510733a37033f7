using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// Replaces the backward pass of every ReLU (and ReLU-like Clip(0, max)) during one run, for methods such as
/// guided backpropagation. The forward pass is unchanged.
/// </summary>
/// <param name="input">The unit's input x.</param>
/// <param name="gradOutput">The gradient arriving at the unit's output.</param>
/// <param name="standardGradInput">The ordinary gradient for x: <paramref name="gradOutput"/> where the unit is
/// active (0 &lt; x, and x &lt; max for Clip), zero elsewhere.</param>
/// <returns>The gradient to pass on to x (same shape as x).</returns>
public delegate Tensor ReluBackwardHook(Tensor input, Tensor gradOutput, Tensor standardGradInput);

/// <summary>Common <see cref="ReluBackwardHook"/>s.</summary>
public static class ReluBackward
{
    /// <summary>
    /// Guided backpropagation (Springenberg et al. 2015): pass only positive gradients, and only where the input
    /// was positive.
    /// </summary>
    public static ReluBackwardHook Guided { get; } = (_, _, standard) => standard.clamp_min(0);

    /// <summary>
    /// The deconvnet's rectification (Zeiler and Fergus 2014): pass the positive part of the arriving gradient,
    /// whatever the input's sign (a saturated Clip passes it too).
    /// </summary>
    public static ReluBackwardHook Deconvnet { get; } = (_, gradOutput, _) => gradOutput.clamp_min(0);
}
