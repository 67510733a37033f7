using Gaze.Engine;
using Gaze.Errors;
using Gaze.Onnx.Operators;
using Gaze.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>One node that runs at run time: its operator and its slots.</summary>
internal sealed class PlanNode(int layoutIndex, NodeProto proto, OnnxOperator op, int[] inputs, int[] outputs)
{
    /// <summary>Index of the node in <see cref="GraphLayout.Nodes"/>.</summary>
    public int LayoutIndex { get; } = layoutIndex;

    /// <summary>The ONNX node.</summary>
    public NodeProto Proto { get; } = proto;

    /// <summary>The node's op type.</summary>
    public string OpType { get; } = proto.OpType;

    /// <summary>The executable operator.</summary>
    public OnnxOperator Operator { get; } = op;

    /// <summary>Input slots (-1: omitted).</summary>
    public int[] Inputs { get; } = inputs;

    /// <summary>Output slots (-1: omitted).</summary>
    public int[] Outputs { get; } = outputs;

    /// <summary>Slots no later node reads, which a memory-saving run may free right after this node.</summary>
    public int[] Release { get; set; } = [];
}

/// <summary>
/// The runnable form of a graph for one choice of which slots vary between runs (the inputs, and trainable
/// initializers when training): everything computable from constants alone is computed once here (constant
/// folding: Constant nodes, weight casts, shape arithmetic on constants), Reshape targets that only carry the batch
/// become constants (<see cref="ReshapeFolding"/>), the rest becomes <see cref="Nodes"/>.
/// </summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(PlanNode[] nodes, Tensor?[] constants)
    {
        Nodes = nodes;
        Constants = constants;
    }

    /// <summary>The nodes that run on every pass, in order.</summary>
    public PlanNode[] Nodes { get; }

    /// <summary>Values known before any run, by slot (initializers and folded results); null for computed slots.</summary>
    public Tensor?[] Constants { get; }

    /// <summary>
    /// Builds the plan. <paramref name="initial"/> holds the constant initializers by slot (trainable ones and inputs
    /// are null). Unsupported attribute values are collected into <paramref name="unsupported"/> instead of thrown.
    /// </summary>
    public static ExecutionPlan Build(GraphLayout layout, Tensor?[] initial, int opset, string modelPath, bool fixedBatchOfOne,
        IReadOnlySet<int> keptSlots, List<Tensor> kept, List<(string Operator, string FirstNode)> unsupported, Precision precision)
    {
        var values = (Tensor?[])initial.Clone();
        var nodes = new List<PlanNode>();
        var foldContext = new RunContext(modelPath, null);
        ReshapeFolding? reshapeFolding = null;
        var foldedTargets = new HashSet<int>();
        for (int n = 0; n < layout.Nodes.Length; n++)
        {
            var proto = layout.Nodes[n];
            int[] inputs = layout.NodeInputs[n], outputs = layout.NodeOutputs[n];

            // A Reshape whose computed target only carries the batch gets a constant one (see ReshapeFolding).
            Tensor? foldedTarget = null;
            if (proto.OpType == "Reshape" && inputs.Length > 1 && inputs[1] >= 0 && values[inputs[1]] is null
                && (reshapeFolding ??= new ReshapeFolding(layout, opset)).ConstantTarget(n, values) is { } target)
            {
                foldedTarget = torch.tensor(target, ScalarType.Int64);
                kept.Add(foldedTarget);
                foldedTargets.Add(inputs[1]);
                inputs = [inputs[0]];
            }
            string? targetName = foldedTarget is null ? null : proto.Input[1];
            var context = new NodeContext(proto, opset, modelPath,
                name => name == targetName ? foldedTarget : values[layout.SlotOf[name]], fixedBatchOfOne, kept, precision);
            OnnxOperator op;
            try
            {
                op = OperatorRegistry.Default.Create(context);
            }
            catch (NotSupportedException e)
            {
                string what = $"{proto.OpType} ({e.Message})";
                if (!unsupported.Any(u => u.Operator == what)) unsupported.Add((what, context.DisplayName));
                continue;
            }

            if (inputs.All(s => s < 0 || values[s] is not null))
            {
                try
                {
                    using var noGrad = torch.no_grad();
                    op.Run(new OperatorIO(values, inputs, outputs, foldContext));
                    SeparateOutputs(values, inputs, outputs);
                }
                catch (Exception e) when (e is not GazeException)
                {
                    throw new ModelFormatException(modelPath, $"node '{context.DisplayName}' ({proto.OpType}) fails on its constant inputs: {EngineMessage.Plain(e.Message)}", e);
                }
                continue;
            }
            nodes.Add(new PlanNode(n, proto, op, inputs, outputs));
        }

        // The shape arithmetic that fed only folded targets has no reader left.
        if (foldedTargets.Count > 0) RemoveUnread(nodes, keptSlots, foldedTargets);

        var plan = new ExecutionPlan(nodes.ToArray(), values);
        plan.ComputeReleases(layout, keptSlots);
        return plan;
    }

    /// <summary>
    /// Drops the nodes that computed the <paramref name="unread"/> slots (folded Reshape targets) and, transitively,
    /// their inputs, as long as no remaining node reads their outputs and none is kept (graph outputs, scores).
    /// Walking last to first takes whole chains; nodes elsewhere in the graph are left alone.
    /// </summary>
    private static void RemoveUnread(List<PlanNode> nodes, IReadOnlySet<int> keptSlots, HashSet<int> unread)
    {
        var readers = new Dictionary<int, int>();
        foreach (var node in nodes)
            foreach (int s in node.Inputs) if (s >= 0) readers[s] = readers.GetValueOrDefault(s) + 1;
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            if (!node.Outputs.Any(unread.Contains)) continue;
            if (node.Outputs.Any(s => s >= 0 && (keptSlots.Contains(s) || readers.GetValueOrDefault(s) > 0))) continue;
            foreach (int s in node.Inputs)
            {
                if (s < 0) continue;
                readers[s]--;
                unread.Add(s);
            }
            nodes.RemoveAt(i);
        }
    }

    /// <summary>
    /// Runs the nodes on <paramref name="values"/> (constants, inputs and any reused values already in place).
    /// </summary>
    /// <param name="values">Slot values; updated in place.</param>
    /// <param name="context">The run's shared state.</param>
    /// <param name="release">When set, frees values no later node reads unless marked here as kept; null keeps all.</param>
    /// <param name="replaced">Slots whose values the caller supplied: their producers are skipped when all of a
    /// node's outputs are replaced, and they are never overwritten.</param>
    /// <param name="dirty">When set, only nodes that read a dirty slot run (their outputs become dirty): a partial
    /// re-run downstream of replaced values.</param>
    /// <param name="requireGrad">Slots made to require grad when produced (captures in a gradient run).</param>
    /// <param name="produced">Receives which slots this run computed.</param>
    /// <param name="observe">Called with each computed slot and its value (for probes), before anything is freed.</param>
    /// <returns>The number of nodes executed.</returns>
    public int Execute(Tensor?[] values, RunContext context, bool[]? release, bool[]? replaced, bool[]? dirty,
        bool[]? requireGrad, bool[] produced, Action<int, Tensor>? observe = null)
    {
        int executed = 0;
        long[]? ticks = context.NodeTicks;
        for (int index = 0; index < Nodes.Length; index++)
        {
            var node = Nodes[index];
            if (dirty is not null && !ReadsAny(node.Inputs, dirty)) continue;
            if (replaced is not null && WritesOnly(node.Outputs, replaced)) continue;

            Tensor?[]? saved = replaced is null ? null : SaveReplaced(values, node.Outputs, replaced);
            long started = ticks is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                node.Operator.Run(new OperatorIO(values, node.Inputs, node.Outputs, context));
            }
            catch (Exception e) when (e is not GazeException)
            {
                throw new ModelExecutionException(context.ModelPath, NodeContext.Describe(node.Proto), node.OpType, EngineMessage.Plain(e.Message), e);
            }
            if (ticks is not null) ticks[index] += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            executed++;
            SeparateOutputs(values, node.Inputs, node.Outputs);

            foreach (int slot in node.Outputs)
            {
                if (slot < 0) continue;
                if (saved is not null && replaced![slot])
                {
                    values[slot] = saved[Array.IndexOf(node.Outputs, slot)];
                    continue;
                }
                produced[slot] = true;
                if (dirty is not null) dirty[slot] = true;
                if (requireGrad is not null && requireGrad[slot] && values[slot] is { } t && !t.requires_grad && t.is_floating_point())
                {
                    // A leaf nothing upstream requires grad for: make it one, so gradients w.r.t. it exist.
                    t.requires_grad_(true);
                }
                if (observe is not null && values[slot] is { } value) observe(slot, value);
            }

            if (release is not null)
            {
                foreach (int slot in node.Release)
                {
                    if (release[slot]) continue;
                    values[slot]?.Dispose();
                    values[slot] = null;
                }
            }
        }
        return executed;
    }

    /// <summary>
    /// The nodes, in order, that compute <paramref name="wanted"/> when the <paramref name="given"/> slots are
    /// supplied: walking back from what is wanted, stopping at given slots, inputs and constants.
    /// </summary>
    internal List<PlanNode> NodesFor(IEnumerable<int> wanted, bool[] given)
    {
        var needed = new bool[given.Length];
        foreach (int s in wanted) needed[s] = !given[s];
        var nodes = new List<PlanNode>();
        for (int n = Nodes.Length - 1; n >= 0; n--)
        {
            var node = Nodes[n];
            if (!node.Outputs.Any(s => s >= 0 && needed[s])) continue;
            nodes.Add(node);
            foreach (int s in node.Inputs) if (s >= 0 && !given[s]) needed[s] = true;
        }
        nodes.Reverse();
        return nodes;
    }

    /// <summary>The same plan with every node's operator replaced (for measuring the engine's own overhead).</summary>
    internal ExecutionPlan WithOperators(Func<PlanNode, OnnxOperator> replace)
    {
        var nodes = Nodes.Select(n => new PlanNode(n.LayoutIndex, n.Proto, replace(n), n.Inputs, n.Outputs) { Release = n.Release }).ToArray();
        return new ExecutionPlan(nodes, Constants);
    }

    /// <summary>
    /// The same plan without the nodes whose results nothing needs when the <paramref name="replaced"/> slots are
    /// given: only what computes <paramref name="wanted"/> from the replaced slots, the inputs and the constants
    /// runs (a run fed a layer's activations then skips everything before that layer).
    /// </summary>
    internal ExecutionPlan Pruned(IEnumerable<int> wanted, bool[] replaced, GraphLayout layout, IReadOnlySet<int> keptSlots)
    {
        var kept = NodesFor(wanted, replaced);
        var plan = new ExecutionPlan(kept.Select(n => new PlanNode(n.LayoutIndex, n.Proto, n.Operator, n.Inputs, n.Outputs)).ToArray(), Constants);
        plan.ComputeReleases(layout, keptSlots);
        return plan;
    }

    private static bool ReadsAny(int[] inputs, bool[] dirty)
    {
        foreach (int s in inputs) if (s >= 0 && dirty[s]) return true;
        return false;
    }

    private static bool WritesOnly(int[] outputs, bool[] replaced)
    {
        bool any = false;
        foreach (int s in outputs)
        {
            if (s < 0) continue;
            if (!replaced[s]) return false;
            any = true;
        }
        return any;
    }

    private static Tensor?[]? SaveReplaced(Tensor?[] values, int[] outputs, bool[] replaced)
    {
        Tensor?[]? saved = null;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (outputs[i] >= 0 && replaced[outputs[i]])
            {
                saved ??= new Tensor?[outputs.Length];
                saved[i] = values[outputs[i]];
            }
        }
        return saved;
    }

    /// <summary>
    /// Makes sure no output is the very same tensor object as an input or another output (operators such as
    /// Identity may pass one through), so freeing one slot never frees another.
    /// </summary>
    private static void SeparateOutputs(Tensor?[] values, int[] inputs, int[] outputs)
    {
        for (int o = 0; o < outputs.Length; o++)
        {
            int slot = outputs[o];
            if (slot < 0 || values[slot] is not { } t) continue;
            bool shared = false;
            foreach (int i in inputs) if (i >= 0 && ReferenceEquals(values[i], t)) shared = true;
            for (int p = 0; p < o; p++) if (outputs[p] >= 0 && ReferenceEquals(values[outputs[p]], t)) shared = true;
            if (shared) values[slot] = t.alias();
        }
    }

    private void ComputeReleases(GraphLayout layout, IReadOnlySet<int> keptSlots)
    {
        var lastUse = new int[layout.SlotNames.Length];
        Array.Fill(lastUse, -1);
        var producedHere = new bool[layout.SlotNames.Length];
        for (int n = 0; n < Nodes.Length; n++)
        {
            foreach (int s in Nodes[n].Outputs)
            {
                if (s < 0) continue;
                producedHere[s] = true;
                lastUse[s] = Math.Max(lastUse[s], n);
            }
            foreach (int s in Nodes[n].Inputs) if (s >= 0) lastUse[s] = n;
        }
        var releases = new List<int>[Nodes.Length];
        for (int s = 0; s < lastUse.Length; s++)
        {
            if (!producedHere[s] || keptSlots.Contains(s) || lastUse[s] < 0) continue;
            (releases[lastUse[s]] ??= []).Add(s);
        }
        for (int n = 0; n < Nodes.Length; n++) Nodes[n].Release = releases[n]?.ToArray() ?? [];
    }
}
