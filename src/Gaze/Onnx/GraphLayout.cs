using Gaze.Errors;
using Gaze.Onnx.Operators;
using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>
/// The static structure of an ONNX graph: every tensor name gets an integer slot, nodes are put in topological
/// order with their inputs and outputs resolved to slots. Built once per model; runs never look names up.
/// </summary>
internal sealed class GraphLayout
{
    private GraphLayout(string[] slotNames, Dictionary<string, int> slotOf, NodeProto[] nodes, int[][] nodeInputs,
        int[][] nodeOutputs, int[] inputSlots, int[] outputSlots, int[] initializerSlots)
    {
        SlotNames = slotNames;
        SlotOf = slotOf;
        Nodes = nodes;
        NodeInputs = nodeInputs;
        NodeOutputs = nodeOutputs;
        InputSlots = inputSlots;
        OutputSlots = outputSlots;
        InitializerSlots = initializerSlots;
    }

    /// <summary>Tensor name of each slot.</summary>
    public string[] SlotNames { get; }

    /// <summary>Slot of each tensor name.</summary>
    public Dictionary<string, int> SlotOf { get; }

    /// <summary>Nodes in an order where every node comes after the producers of its inputs.</summary>
    public NodeProto[] Nodes { get; }

    /// <summary>Input slots of each node (-1 for an omitted optional input).</summary>
    public int[][] NodeInputs { get; }

    /// <summary>Output slots of each node (-1 for an omitted optional output).</summary>
    public int[][] NodeOutputs { get; }

    /// <summary>Slots of the graph inputs the caller provides (inputs that are not initializers).</summary>
    public int[] InputSlots { get; }

    /// <summary>Slots of the graph outputs.</summary>
    public int[] OutputSlots { get; }

    /// <summary>Slot of each initializer, in the model's order.</summary>
    public int[] InitializerSlots { get; }

    /// <summary>Resolves names and orders the nodes of <paramref name="graph"/>.</summary>
    public static GraphLayout Create(GraphProto graph, string modelPath)
    {
        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int Slot(string name)
        {
            if (!slotOf.TryGetValue(name, out int slot))
            {
                slot = names.Count;
                slotOf[name] = slot;
                names.Add(name);
            }
            return slot;
        }

        var initializerSlots = graph.Initializer.Select(t => Slot(t.Name)).ToArray();
        var initializerNames = new HashSet<string>(graph.Initializer.Select(t => t.Name), StringComparer.Ordinal);
        // Before IR version 4 initializers were also listed as inputs; only the others are real inputs.
        var inputSlots = graph.Input.Where(i => !initializerNames.Contains(i.Name)).Select(i => Slot(i.Name)).ToArray();

        var available = new HashSet<string>(StringComparer.Ordinal) { "" };
        available.UnionWith(initializerNames);
        available.UnionWith(graph.Input.Select(i => i.Name));

        // Kahn's algorithm; exporters usually emit sorted nodes, so this is one pass in practice.
        var pending = graph.Node.ToList();
        var ordered = new List<NodeProto>(pending.Count);
        while (pending.Count > 0)
        {
            int before = ordered.Count;
            var next = new List<NodeProto>();
            foreach (var node in pending)
            {
                if (node.Input.All(available.Contains))
                {
                    ordered.Add(node);
                    available.UnionWith(node.Output);
                }
                else next.Add(node);
            }
            if (ordered.Count == before)
            {
                var stuck = next[0];
                string missing = stuck.Input.First(i => !available.Contains(i));
                bool producedSomewhere = next.Any(n => n.Output.Contains(missing));
                throw new ModelFormatException(modelPath, producedSomewhere
                    ? $"the graph has a cycle through tensor '{missing}'"
                    : $"node '{NodeContext.Describe(stuck)}' reads tensor '{missing}' that no node, input or initializer provides (truncated or invalid model)");
            }
            pending = next;
        }

        var nodeInputs = ordered.Select(n => n.Input.Select(i => i.Length == 0 ? -1 : Slot(i)).ToArray()).ToArray();
        var nodeOutputs = ordered.Select(n => n.Output.Select(o => o.Length == 0 ? -1 : Slot(o)).ToArray()).ToArray();
        foreach (var output in graph.Output)
        {
            if (!available.Contains(output.Name))
                throw new ModelFormatException(modelPath, $"graph output '{output.Name}' is not produced by any node (truncated or invalid model)");
        }
        var outputSlots = graph.Output.Select(o => Slot(o.Name)).ToArray();
        return new GraphLayout(names.ToArray(), slotOf, ordered.ToArray(), nodeInputs, nodeOutputs, inputSlots, outputSlots, initializerSlots);
    }

    /// <summary>Index in <see cref="Nodes"/> of the node producing <paramref name="slot"/>, or -1.</summary>
    public int ProducerOf(int slot)
    {
        for (int n = 0; n < NodeOutputs.Length; n++)
            if (Array.IndexOf(NodeOutputs[n], slot) >= 0) return n;
        return -1;
    }
}
