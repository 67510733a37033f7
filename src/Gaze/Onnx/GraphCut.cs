using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>
/// A split of a graph at target layers, found from its structure alone, for gradients with respect to those
/// layers: the prefix (everything before the layers, which another engine may run forward only) and the suffix
/// (the nodes that depend on the layers, which Gaze runs with the layers' activations as autograd leaves). The
/// suffix may also read tensors from before the cut besides the layers, such as the input of a residual block
/// whose addition comes after the layer: those are <see cref="Crossing"/> and are fed with the layers. They do not
/// depend on the layers, so they are constants for the gradients and the split changes no result.
/// </summary>
internal sealed class GraphCut
{
    private GraphCut(IReadOnlyList<string> cut, IReadOnlyList<string> crossing, IReadOnlyList<int> prefixNodes, string? problem,
        string? scores = null)
    {
        Scores = scores;
        Cut = cut;
        Crossing = crossing;
        PrefixNodes = prefixNodes;
        Problem = problem;
    }

    /// <summary>
    /// The target layers the prefix ends at: those no other target layer feeds. A layer computed from another
    /// target layer stays in the suffix, so the earlier layer's gradient still flows through it.
    /// </summary>
    public IReadOnlyList<string> Cut { get; }

    /// <summary>Tensors from before the cut that the suffix also reads (or that are graph outputs), excluding constants and the graph input.</summary>
    public IReadOnlyList<string> Crossing { get; }

    /// <summary>
    /// The score tensor (<see cref="OnnxGraph.ScoreName"/>) when the prefix computes it too (the whole network, for
    /// gradients that need no suffix, see <see cref="ConvolutionalHead"/>); else null.
    /// </summary>
    public string? Scores { get; }

    /// <summary>Everything the prefix hands over: <see cref="Cut"/>, <see cref="Crossing"/> and <see cref="Scores"/>.</summary>
    public IReadOnlyList<string> Fed => Scores is null ? [.. Cut, .. Crossing] : [.. Cut, .. Crossing, Scores];

    /// <summary>Indices in <see cref="GraphLayout.Nodes"/> of the nodes that compute <see cref="Fed"/> from the input, in order.</summary>
    public IReadOnlyList<int> PrefixNodes { get; }

    /// <summary>Why the graph cannot be split there (then the other members are empty), or null.</summary>
    public string? Problem { get; }

    /// <summary>The split of <paramref name="graph"/> before <paramref name="layers"/> (exact tensor names).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="layers">The target layers.</param>
    /// <param name="withScores">Let the prefix compute the scores as well (<see cref="Scores"/>).</param>
    /// <exception cref="Errors.UnknownLayerException">A layer is not a tensor of the graph.</exception>
    public static GraphCut Before(OnnxGraph graph, IReadOnlyList<string> layers, bool withScores = false)
    {
        var layout = graph.Layout;
        var constants = graph.Plan.Constants;
        int slots = layout.SlotNames.Length;
        int[] layerSlots = layers.Select(graph.SlotOf).Distinct().ToArray();

        if (graph.Inputs.Count != 1)
            return Unavailable($"the model takes {graph.Inputs.Count} inputs");
        var input = graph.Inputs[0];
        if (!OnnxDataType.IsFloatingPoint(input.ElementType))
            return Unavailable($"its input '{input.Name}' holds {OnnxDataType.Name(input.ElementType)} values");
        foreach (int slot in layerSlots)
        {
            if (slot == input.Slot) return Unavailable($"'{layout.SlotNames[slot]}' is the model's input, with nothing before it");
            if (constants[slot] is not null) return Unavailable($"'{layout.SlotNames[slot]}' is a constant");
        }

        var downstream = layerSlots.ToDictionary(s => s, s => DependsOn(layout, [s]));
        int[] cutSlots = layerSlots.Where(l => !layerSlots.Any(other => other != l && downstream[other][l])).ToArray();
        bool[] fromCut = DependsOn(layout, cutSlots);
        bool[] isCut = new bool[slots];
        foreach (int s in cutSlots) isCut[s] = true;

        // What Gaze runs once the cut is fed: the nodes the outputs, the scores and the layers need, walking back
        // to the cut; of those, the suffix is what depends on the cut, and the rest is what the crossing tensors save.
        var wanted = layout.OutputSlots.Append(graph.SlotOf(graph.ScoreName)).Concat(layerSlots).Distinct().ToList();
        var suffix = graph.Plan.NodesFor(wanted, isCut).Where(n => n.Outputs.Any(s => s >= 0 && fromCut[s])).ToList();

        bool FromBefore(int s) => s >= 0 && !fromCut[s] && constants[s] is null && s != input.Slot;
        var crossing = suffix.SelectMany(n => n.Inputs).Concat(wanted).Where(FromBefore).Distinct().ToList();

        // The prefix: every node the cut and the crossing tensors need, back to the input and the initializers.
        var prefixWanted = new bool[slots];
        foreach (int s in cutSlots.Concat(crossing)) prefixWanted[s] = true;
        int scoreSlot = graph.SlotOf(graph.ScoreName);
        if (withScores) prefixWanted[scoreSlot] = true;
        var prefix = new List<int>();
        for (int n = layout.Nodes.Length - 1; n >= 0; n--)
        {
            if (!layout.NodeOutputs[n].Any(s => s >= 0 && prefixWanted[s])) continue;
            prefix.Add(n);
            foreach (int s in layout.NodeInputs[n]) if (s >= 0) prefixWanted[s] = true;
        }
        prefix.Reverse();

        string Name(int slot) => layout.SlotNames[slot];
        return new GraphCut(cutSlots.Select(Name).ToList(), crossing.Select(Name).ToList(), prefix, null,
            withScores ? Name(scoreSlot) : null);
    }

    private static GraphCut Unavailable(string problem) => new([], [], [], problem);

    /// <summary>Which slots depend on any of <paramref name="starts"/> (the starts included).</summary>
    private static bool[] DependsOn(GraphLayout layout, IEnumerable<int> starts)
    {
        var depends = new bool[layout.SlotNames.Length];
        foreach (int s in starts) depends[s] = true;
        for (int n = 0; n < layout.Nodes.Length; n++)
        {
            if (!layout.NodeInputs[n].Any(s => s >= 0 && depends[s])) continue;
            foreach (int s in layout.NodeOutputs[n]) if (s >= 0) depends[s] = true;
        }
        return depends;
    }
}
