namespace Gaze.Evaluation.Sanity;

/// <summary>
/// One parametrised layer of a model, as the sanity checks randomise it: a Conv, Gemm or MatMul node whose weight is
/// an initializer, with its bias if it has one.
/// </summary>
/// <param name="Name">The layer's output tensor (the name <c>gaze layers</c> shows and <c>--layer</c> takes).</param>
/// <param name="Operator">The node's operator: Conv, Gemm or MatMul.</param>
/// <param name="Weight">The initializer holding the weight.</param>
/// <param name="Bias">The initializer holding the bias, or null (MatMul, or a Conv or Gemm without one).</param>
/// <param name="FanIn">The inputs each output unit sums over (input channels per group times kernel size for Conv).</param>
public sealed record WeightedLayer(string Name, string Operator, string Weight, string? Bias, long FanIn);
