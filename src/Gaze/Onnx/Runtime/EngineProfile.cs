namespace Gaze.Onnx.Runtime;

/// <summary>Where one pass of Gaze's engine spends its time, averaged over the profiled runs.</summary>
/// <param name="ForwardMilliseconds">The whole forward pass (graph walk included).</param>
/// <param name="BackwardMilliseconds">The backward pass from the summed top scores to the input, when profiled.</param>
/// <param name="Operators">Forward time by operator type, slowest first.</param>
/// <param name="Nodes">Forward time by node, slowest first.</param>
/// <param name="PageFaultsPerPass">
/// Minor page faults of the process per profiled pass (Linux; null elsewhere): memory a pass touches for the first
/// time. Near zero once the heap keeps freed tensor memory (see <c>Engine.HeapTuning</c>).
/// </param>
public sealed record EngineProfile(double ForwardMilliseconds, double? BackwardMilliseconds,
    IReadOnlyList<OperatorTime> Operators, IReadOnlyList<OperatorTime> Nodes, long? PageFaultsPerPass);

/// <summary>The forward time of one operator type or one node.</summary>
/// <param name="Name">The operator type, or the node's name.</param>
/// <param name="OpType">The operator type.</param>
/// <param name="Count">How many nodes the entry covers.</param>
/// <param name="Milliseconds">Time per pass.</param>
/// <param name="Percent">Share of the forward pass.</param>
public sealed record OperatorTime(string Name, string OpType, int Count, double Milliseconds, double Percent);
