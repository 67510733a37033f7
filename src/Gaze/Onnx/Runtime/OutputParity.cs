namespace Gaze.Onnx.Runtime;

/// <summary>How one output of Gaze compares with ONNX Runtime's.</summary>
/// <param name="Name">The output's tensor name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="MaxAbsDifference">max |gaze - reference|.</param>
/// <param name="MaxAbsReference">max |reference|.</param>
public sealed record OutputParity(string Name, long[] Shape, double MaxAbsDifference, double MaxAbsReference)
{
    /// <summary>max |gaze - reference| / max |reference| (the absolute difference when the reference is all zero).</summary>
    public double RelativeDifference => MaxAbsReference > 0 ? MaxAbsDifference / MaxAbsReference : MaxAbsDifference;
}
