using Gaze.Errors;
using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>
/// The part of a model that computes its score tensor (<see cref="OnnxGraph.ScoreName"/>) from one start tensor, a
/// graph input or an intermediate layer, as a model of its own: only the nodes between the two, the start tensor as
/// the only input, the score tensor as the only output, and only the initializers those nodes read.
/// </summary>
internal static class ScoreSubgraph
{
    /// <summary>Builds the sub-model of <paramref name="graph"/> from <paramref name="startSlot"/> to the score.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="startSlot">Slot of the start tensor.</param>
    /// <param name="declareStart">Declares the start tensor as a graph input; called only once the cut is known to be valid.</param>
    /// <exception cref="LayerBypassedException">The score depends on a graph input other than through the start tensor.</exception>
    public static ModelProto Extract(OnnxGraph graph, int startSlot, Func<ValueInfoProto> declareStart)
    {
        var layout = graph.Layout;
        int scoreSlot = graph.SlotOf(graph.ScoreName);
        var nodes = NodesBetween(graph, startSlot, scoreSlot);

        var model = graph.Model.Clone();
        var body = model.Graph;
        var keptNodes = nodes.Select(n => layout.Nodes[n]).ToList();
        var read = keptNodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var initializers = body.Initializer.Where(t => read.Contains(t.Name)).ToList();
        var initializerNames = initializers.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // Before IR version 4 initializers were also declared as inputs; those declarations stay for the kept ones.
        var declaredInitializers = body.Input.Where(i => initializerNames.Contains(i.Name)).ToList();

        body.Node.Clear();
        body.Node.AddRange(keptNodes.Select(n => n.Clone()));
        body.Initializer.Clear();
        body.Initializer.AddRange(initializers);
        body.Input.Clear();
        body.Input.Add(declareStart());
        body.Input.AddRange(declaredInitializers);
        body.Output.Clear();
        // No type or shape: ONNX Runtime infers them, and a declared fixed batch would contradict a relaxed one.
        body.Output.Add(new ValueInfoProto { Name = graph.ScoreName });
        // Recorded shapes may carry the declared batch or size, which the scorer relaxes.
        body.ValueInfo.Clear();
        return model;
    }

    /// <summary>
    /// Layout indices of the nodes needed to compute the score from the start tensor, in execution order: the walk
    /// backwards from the score stops at the start tensor, initializers and constant nodes.
    /// </summary>
    private static List<int> NodesBetween(OnnxGraph graph, int startSlot, int scoreSlot)
    {
        var layout = graph.Layout;
        int slots = layout.SlotNames.Length;
        int count = layout.Nodes.Length;

        var needed = new bool[slots];
        needed[scoreSlot] = true;
        var kept = new List<int>();
        for (int n = count - 1; n >= 0; n--)
        {
            if (!layout.NodeOutputs[n].Any(s => s >= 0 && s != startSlot && needed[s])) continue;
            kept.Add(n);
            foreach (int s in layout.NodeInputs[n]) if (s >= 0 && s != startSlot) needed[s] = true;
        }
        kept.Reverse();

        // Which tensors depend on the start tensor, and which on a graph input by a path that avoids it.
        var fromStart = new bool[slots];
        var aroundStart = new bool[slots];
        fromStart[startSlot] = true;
        foreach (int s in layout.InputSlots) if (s != startSlot) aroundStart[s] = true;
        for (int n = 0; n < count; n++)
        {
            bool start = layout.NodeInputs[n].Any(s => s >= 0 && fromStart[s]);
            bool around = layout.NodeInputs[n].Any(s => s >= 0 && s != startSlot && aroundStart[s]);
            foreach (int s in layout.NodeOutputs[n])
            {
                if (s < 0 || s == startSlot) continue;
                fromStart[s] |= start;
                aroundStart[s] |= around;
            }
        }

        string Name(int slot) => layout.SlotNames[slot];
        if (!fromStart[scoreSlot])
            throw new LayerBypassedException(graph.ModelPath, Name(startSlot), graph.ScoreName, bypass: null);
        if (!aroundStart[scoreSlot]) return kept;

        // Name the tensor where the way around joins the way through: the first such join after the start.
        foreach (int n in kept)
        {
            if (!layout.NodeOutputs[n].Any(s => s >= 0 && fromStart[s])) continue;
            int bypass = layout.NodeInputs[n].FirstOrDefault(s => s >= 0 && s != startSlot && aroundStart[s] && !fromStart[s], -1);
            if (bypass >= 0) throw new LayerBypassedException(graph.ModelPath, Name(startSlot), graph.ScoreName, Name(bypass));
        }
        throw new LayerBypassedException(graph.ModelPath, Name(startSlot), graph.ScoreName, Name(kept.SelectMany(n => layout.NodeInputs[n])
            .First(s => s >= 0 && s != startSlot && aroundStart[s])));
    }
}
