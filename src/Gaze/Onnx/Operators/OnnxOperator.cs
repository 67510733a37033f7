using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// One ONNX node made executable: built once at load from the node's attributes (and any constant inputs),
/// then run on every forward pass. Operators keep no per-run state and never modify their inputs.
/// </summary>
internal abstract class OnnxOperator
{
    /// <summary>Reads the node's inputs from <paramref name="io"/> and writes its outputs there.</summary>
    public abstract void Run(in OperatorIO io);
}

/// <summary>An operator with one output computed from its inputs.</summary>
internal abstract class SingleOutputOperator : OnnxOperator
{
    /// <inheritdoc />
    public sealed override void Run(in OperatorIO io) => io.SetOutput(0, Compute(io));

    /// <summary>The node's only output.</summary>
    protected abstract Tensor Compute(in OperatorIO io);
}

/// <summary>An element-wise (or otherwise single-input, single-output) operator given as a function.</summary>
internal sealed class UnaryOperator(Func<Tensor, Tensor> function) : OnnxOperator
{
    public override void Run(in OperatorIO io) => io.SetOutput(0, function(io.Input(0)));
}

/// <summary>A two-input, one-output operator given as a function (broadcasting arithmetic and comparisons).</summary>
internal sealed class BinaryOperator(Func<Tensor, Tensor, Tensor> function) : OnnxOperator
{
    public override void Run(in OperatorIO io) => io.SetOutput(0, function(io.Input(0), io.Input(1)));
}

/// <summary>State shared by all operators during one run.</summary>
internal sealed class RunContext(string modelPath, ReluBackwardHook? reluBackward, long[]? nodeTicks = null)
{
    /// <summary>When set, each executed node adds its <see cref="System.Diagnostics.Stopwatch"/> ticks here, by plan index (profiling).</summary>
    public long[]? NodeTicks { get; } = nodeTicks;

    /// <summary>The model file, for error messages.</summary>
    public string ModelPath { get; } = modelPath;

    /// <summary>When set, every ReLU (and ReLU-like Clip) uses this backward pass instead of its own.</summary>
    public ReluBackwardHook? ReluBackward { get; } = reluBackward;
}

/// <summary>
/// A node's view of the run's value table: its inputs and outputs as slots resolved to integers at load,
/// so the hot loop does no string lookups.
/// </summary>
internal readonly struct OperatorIO(Tensor?[] values, int[] inputs, int[] outputs, RunContext context)
{
    /// <summary>The run this node executes in.</summary>
    public RunContext Context => context;

    /// <summary>How many inputs the node lists (including empty optional ones).</summary>
    public int InputCount => inputs.Length;

    /// <summary>Input <paramref name="index"/>, which must be present.</summary>
    public Tensor Input(int index)
    {
        int slot = index < inputs.Length ? inputs[index] : -1;
        return (slot >= 0 ? values[slot] : null)
            ?? throw new InvalidOperationException($"required input {index} of the node is missing");
    }

    /// <summary>Input <paramref name="index"/>, or null when the node leaves it out.</summary>
    public Tensor? OptionalInput(int index)
    {
        int slot = index < inputs.Length ? inputs[index] : -1;
        return slot >= 0 ? values[slot] : null;
    }

    /// <summary>How many outputs the node lists.</summary>
    public int OutputCount => outputs.Length;

    /// <summary>True when output <paramref name="index"/> is used (named) by the node.</summary>
    public bool WantsOutput(int index) => index < outputs.Length && outputs[index] >= 0;

    /// <summary>Stores output <paramref name="index"/> (ignored when the node does not name that output).</summary>
    public void SetOutput(int index, Tensor value)
    {
        if (WantsOutput(index)) values[outputs[index]] = value;
    }
}
