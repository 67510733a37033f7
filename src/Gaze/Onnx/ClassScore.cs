namespace Gaze.Onnx;

/// <summary>One class of a prediction.</summary>
/// <param name="Index">Class index.</param>
/// <param name="Label">Its label, when labels were given.</param>
/// <param name="Probability">Softmax of the logits.</param>
/// <param name="Logit">The pre-softmax score.</param>
public sealed record ClassScore(int Index, string? Label, float Probability, float Logit);
