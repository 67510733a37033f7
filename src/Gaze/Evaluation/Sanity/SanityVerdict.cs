namespace Gaze.Evaluation.Sanity;

/// <summary>Whether a method's maps depend on the model's learned parameters (see <see cref="SanityResult.Verdict"/>).</summary>
public enum SanityVerdict
{
    /// <summary>The maps lose the original's ranking once the top layers are randomised: they depend on what the model learned.</summary>
    Pass,

    /// <summary>The maps keep the original's ranking with the top layers randomised: they do not reflect the learned parameters.</summary>
    Fail,
}
