using Gaze.Engine;
using Gaze.Errors;
using Gaze.Onnx.Operators;
using Gaze.Onnx.Proto;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>
/// An ONNX model imported as a differentiable TorchSharp graph: the engine under every Gaze method.
/// It runs batches, captures and replaces named tensors, re-runs only what depends on replaced tensors, takes
/// gradients with respect to layers or the input, lets callers change every ReLU's backward pass, and can train its
/// initializers (<c>OnnxWriter</c> saves them). Float16 models run in float32.
/// </summary>
public sealed class OnnxGraph : IDisposable
{
    private readonly GraphLayout layout;
    private readonly Tensor?[] initializers;
    private readonly HashSet<int> alwaysKept;
    private readonly bool fixedBatchOfOne;
    private readonly int? logitsSlot;
    private ExecutionPlan plan;
    private List<Tensor> kept = [];
    private readonly List<(int Slot, Parameter Parameter)> parameters = [];
    private readonly Dictionary<string, ExecutionPlan> prunedPlans = new(StringComparer.Ordinal);
    private ExecutionPlan? prunedFrom;
    private int?[]? probedRanks;
    private HashSet<int>? channelsLast;
    private bool disposed;

    private OnnxGraph(string path, ModelProto model, GraphLayout layout, int opset, Precision precision)
    {
        Precision = precision;
        ModelPath = path;
        Model = model;
        this.layout = layout;
        OpsetVersion = opset;
        initializers = new Tensor?[layout.SlotNames.Length];

        var declared = model.Graph.Input.ToDictionary(i => i.Name, StringComparer.Ordinal);
        Inputs = layout.InputSlots.Select(slot =>
        {
            var info = declared[layout.SlotNames[slot]];
            var tensorType = info.Type?.TensorType;
            IReadOnlyList<long?>? shape = tensorType?.Shape is { } s
                ? s.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? d.DimValue : (long?)null).ToList()
                : null;
            return new GraphInput(info.Name, tensorType?.ElemType ?? OnnxDataType.Float, shape, slot, ImageInputLayout.Infer(info.Name, shape, model.Graph.Node));
        }).ToList();
        OutputNames = model.Graph.Output.Select(o => o.Name).ToList();
        IsFloat16 = model.Graph.Initializer.Any(t => t.DataType is OnnxDataType.Float16 or OnnxDataType.BFloat16)
            || Inputs.Any(i => i.ElementType is OnnxDataType.Float16 or OnnxDataType.BFloat16);
        fixedBatchOfOne = Inputs.Count > 0 && Inputs[0].Shape is { Count: > 0 } first && first[0] == 1;
        logitsSlot = FindLogitsSlot();
        alwaysKept = [.. layout.OutputSlots];
        if (logitsSlot is int l) alwaysKept.Add(l);
        plan = null!;
    }

    /// <summary>The model file the graph was loaded from.</summary>
    public string ModelPath { get; }

    /// <summary>The number format of the graph's convolutions and matrix products.</summary>
    public Precision Precision { get; }

    /// <summary>The default-domain opset version the model imports.</summary>
    public int OpsetVersion { get; }

    /// <summary>True when the model stores weights or inputs in float16/bfloat16 (Gaze computes in float32).</summary>
    public bool IsFloat16 { get; }

    /// <summary>The inputs the caller provides, in declaration order.</summary>
    public IReadOnlyList<GraphInput> Inputs { get; }

    /// <summary>The graph's output names.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>
    /// The pre-softmax tensor when the graph ends in Softmax (optionally followed by Flatten/Reshape/Squeeze),
    /// else null.
    /// </summary>
    public string? LogitsName => logitsSlot is int s ? layout.SlotNames[s] : null;

    /// <summary>The tensor that <see cref="GraphRun.Scores"/> comes from: <see cref="LogitsName"/>, else the first output.</summary>
    public string ScoreName => LogitsName ?? OutputNames[0];

    /// <summary>Every tensor name of the graph (inputs, initializers, node outputs).</summary>
    public IReadOnlyList<string> TensorNames => layout.SlotNames;

    /// <summary>The number of nodes a full run executes (nodes computed from constants alone are folded at load).</summary>
    public int RuntimeNodeCount => plan.Nodes.Length;

    /// <summary>Names of the model's initializers (weights and other stored tensors).</summary>
    public IReadOnlyList<string> InitializerNames => layout.InitializerSlots.Select(s => layout.SlotNames[s]).ToList();

    /// <summary>The parameters made trainable by <see cref="MakeTrainable"/> (empty until then).</summary>
    public IReadOnlyList<Parameter> TrainableParameters => parameters.Select(p => p.Parameter).ToList();

    internal ModelProto Model { get; }

    internal GraphLayout Layout => layout;

    internal ExecutionPlan Plan => plan;

    /// <summary>Loads the model at <paramref name="path"/> and prepares it to run.</summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="precision">The number format of convolutions and matrix products.</param>
    /// <exception cref="InputFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedPrecisionException"><paramref name="precision"/> cannot run on this CPU.</exception>
    /// <exception cref="ModelFormatException">Not a readable ONNX model (empty, truncated, text, missing external data ...).</exception>
    /// <exception cref="UnsupportedOperatorException">The model uses operators Gaze does not implement (all are listed).</exception>
    public static OnnxGraph Load(string path, Precision precision = Precision.Float32)
    {
        PrecisionSupport.Require(precision);
        return FromModel(OnnxModelReader.Read(path), path, precision);
    }

    /// <summary>Prepares an in-memory model (e.g. one Gaze built to train); <paramref name="path"/> names it in messages.</summary>
    internal static OnnxGraph FromModel(ModelProto model, string path, Precision precision = Precision.Float32)
    {
        NnpackSwitch.DisableOnce();
        HeapTuning.ApplyOnce();
        int opset = (int)(model.OpsetImport.FirstOrDefault(o => OperatorRegistry.IsDefaultDomain(o.Domain))?.Version ?? 1);

        // Unknown operators are reported before anything heavy happens, all at once.
        var unsupported = new List<(string Operator, string FirstNode)>();
        foreach (var node in model.Graph.Node)
        {
            if (OperatorRegistry.Default.Supports(node.Domain, node.OpType)) continue;
            string op = OperatorRegistry.IsDefaultDomain(node.Domain) ? node.OpType : $"{node.Domain}.{node.OpType}";
            if (!unsupported.Any(u => u.Operator == op)) unsupported.Add((op, NodeContext.Describe(node)));
        }
        if (unsupported.Count > 0) throw new UnsupportedOperatorException(path, unsupported);

        var layout = GraphLayout.Create(model.Graph, path);
        var graph = new OnnxGraph(path, model, layout, opset, precision);
        try
        {
            graph.LoadInitializers();
            graph.Rebuild();
        }
        catch
        {
            graph.Dispose();
            throw;
        }
        return graph;
    }

    /// <summary>Runs the graph on one input tensor (for example a preprocessed image batch [N,C,H,W]).</summary>
    /// <exception cref="ModelInputException">The tensor does not fit the declared input.</exception>
    public GraphRun Run(Tensor input, RunOptions? options = null) => Run([input], options);

    /// <summary>Runs the graph on its inputs, in the order of <see cref="Inputs"/>.</summary>
    /// <exception cref="ModelInputException">A tensor does not fit its declared input.</exception>
    /// <exception cref="UnknownLayerException">A captured or replaced name is not a tensor of the graph.</exception>
    public GraphRun Run(IReadOnlyList<Tensor> inputs, RunOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        options ??= RunOptions.Default;
        if (inputs.Count != Inputs.Count)
            throw new ModelInputException(ModelPath, $"the model takes {Inputs.Count} input(s) ({string.Join(", ", Inputs.Select(i => i.Name))}), got {inputs.Count}");
        return WithSizeHint(inputs.Select(i => i.shape).ToList(), () => Execute(options, previous: null, replacements: options.Replace, prepare: values =>
        {
            var prepared = new Tensor[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
            {
                var t = PrepareInput(Inputs[i], inputs[i]);
                if (options.InputGradient && t.is_floating_point()) t = t.detach().requires_grad_(true);
                values[Inputs[i].Slot] = t;
                prepared[i] = t;
            }
            return prepared;
        }));
    }

    /// <summary>
    /// Runs <paramref name="run"/>; a node failure on an input whose height and width differ from the graph's fixed
    /// ones becomes a <see cref="ModelInputException"/> saying which size the model takes.
    /// </summary>
    private T WithSizeHint<T>(IReadOnlyList<long[]> shapes, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ModelExecutionException e) when (shapes.Count == 1 && Inputs.Count == 1 && Inputs[0].SizeHint(shapes[0]) is { } hint)
        {
            throw new ModelInputException(ModelPath, $"{hint} (node '{e.Node}' ({e.OpType}) fails at this size)", e);
        }
    }

    /// <summary>
    /// Re-runs only the nodes that depend on <paramref name="replacements"/>, reusing every other value of
    /// <paramref name="previous"/> (which must have been run with <see cref="RunOptions.KeepAll"/>). Used by
    /// methods that perturb a layer many times, such as Ablation-CAM.
    /// </summary>
    /// <remarks>The new run shares the unchanged tensors of <paramref name="previous"/>: keep that run alive (undisposed)
    /// while its re-runs are in use.</remarks>
    /// <exception cref="UnknownLayerException">A replaced or captured name is not a tensor of the graph.</exception>
    public GraphRun Rerun(GraphRun previous, IReadOnlyDictionary<string, Tensor> replacements, RunOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!ReferenceEquals(previous.Graph, this)) throw new ArgumentException("the previous run is from another graph", nameof(previous));
        var previousValues = previous.Values
            ?? throw new ArgumentException("the previous run did not keep its tensors; run it with RunOptions.KeepAll", nameof(previous));
        options ??= RunOptions.Default;
        return Execute(options, previousValues, replacements, prepare: _ => previous.Inputs.ToArray());
    }

    /// <summary>The first output for <paramref name="input"/>, without gradients.</summary>
    public Tensor Forward(Tensor input)
    {
        using var run = Run(input);
        return run.Output.alias();
    }

    /// <summary>Pre-softmax scores [N, K] for <paramref name="input"/>, without gradients (see <see cref="GraphRun.Scores"/>).</summary>
    public Tensor Scores(Tensor input)
    {
        using var run = Run(input);
        return run.Scores.alias();
    }

    /// <summary>
    /// Makes initializers trainable parameters (they then require grad in runs with <see cref="RunOptions.Gradients"/>).
    /// By default every floating-point initializer except batch-norm running statistics. Batch normalization keeps
    /// using its stored statistics (inference semantics) while training.
    /// </summary>
    /// <returns>The parameters, for an optimizer.</returns>
    public IReadOnlyList<Parameter> MakeTrainable(IEnumerable<string>? names = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var statistics = layout.Nodes.Where(n => n.OpType == "BatchNormalization")
            .SelectMany(n => n.Input.Skip(3).Take(2)).ToHashSet(StringComparer.Ordinal);
        var chosen = names?.Select(SlotOf).ToList()
            ?? layout.InitializerSlots.Where(s => initializers[s]!.is_floating_point() && !statistics.Contains(layout.SlotNames[s])).ToList();
        foreach (int slot in chosen)
        {
            if (Array.IndexOf(layout.InitializerSlots, slot) < 0)
                throw new ArgumentException($"'{layout.SlotNames[slot]}' is not an initializer");
            if (initializers[slot] is Parameter) continue;
            var old = initializers[slot]!;
            var parameter = new Parameter(old.detach().clone(), requires_grad: true);
            parameter.DetachFromDisposeScope();
            old.Dispose();
            initializers[slot] = parameter;
            parameters.Add((slot, parameter));
        }
        Rebuild();
        return TrainableParameters;
    }

    /// <summary>The current value of initializer <paramref name="name"/> (a <see cref="Parameter"/> once trainable).</summary>
    public Tensor Initializer(string name)
    {
        int slot = SlotOf(name);
        return initializers[slot] ?? throw new ArgumentException($"'{name}' is not an initializer");
    }

    /// <summary>Frees the graph's weights and folded constants.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        var all = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in initializers) if (t is not null) all.Add(t);
        if (plan is not null) foreach (var t in plan.Constants) if (t is not null) all.Add(t);
        foreach (var t in kept) all.Add(t);
        foreach (var t in all) t.Dispose();
    }

    /// <summary>
    /// Runs once without gradients on zero inputs of <see cref="GraphInput.ConcreteShape"/> (batch 1) and records the
    /// shape and type of every tensor: what layer discovery and the writer need to know.
    /// </summary>
    internal TensorFacts Probe((int Height, int Width)? size = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        int slots = layout.SlotNames.Length;
        var facts = new TensorFacts(slots);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var values = (Tensor?[])plan.Constants.Clone();
        for (int s = 0; s < slots; s++) if (values[s] is { } c) facts.Record(s, c);
        foreach (var input in Inputs)
        {
            var type = OnnxDataType.ComputeType(input.ElementType) ?? ScalarType.Float32;
            values[input.Slot] = torch.zeros(input.ConcreteShape(1, size), type);
            facts.Record(input.Slot, values[input.Slot]!);
        }
        var shapes = Inputs.Select(i => values[i.Slot]!.shape).ToList();
        WithSizeHint(shapes, () => plan.Execute(values, new RunContext(ModelPath, null), new bool[slots], null, null, null, new bool[slots], facts.Record));
        probedRanks ??= Enumerable.Range(0, slots).Select(s => facts.Shape(s)?.Length).ToArray();
        return facts;
    }

    /// <summary>
    /// True when tensor <paramref name="name"/> is a 4-D tensor with its channels last, [N,H,W,C] (see
    /// <see cref="ChannelsLastTensors"/>): CAM methods and fine-tuning read it as the [N,C,H,W] tensor it is a view
    /// of. Ranks come from the first probe run (one is made at the declared size if none has run yet and the graph
    /// has any sign of channels-last tensors; a PyTorch export has none and needs no probe).
    /// </summary>
    /// <exception cref="UnknownLayerException">No such tensor.</exception>
    public bool IsChannelsLast(string name)
    {
        int slot = SlotOf(name);
        if (channelsLast is null)
        {
            var lastInputs = Inputs.Where(i => i.ChannelsLast).Select(i => i.Slot).ToList();
            if (lastInputs.Count == 0 && !ChannelsLastTensors.HasEvidence(layout, plan.Constants)) channelsLast = [];
            else
            {
                if (probedRanks is null) Probe();
                channelsLast = ChannelsLastTensors.Find(layout, plan.Constants, s => probedRanks![s], lastInputs);
            }
        }
        return channelsLast.Contains(slot);
    }

    /// <summary>
    /// <paramref name="activations"/> of tensor <paramref name="name"/> as [N,C,H,W]: a permuted view of a channels-last
    /// tensor (<see cref="IsChannelsLast"/>), else the tensor itself.
    /// </summary>
    public Tensor ChannelsFirst(string name, Tensor activations) =>
        IsChannelsLast(name) ? activations.permute(0, 3, 1, 2) : activations;

    /// <summary>
    /// The inverse of <see cref="ChannelsFirst"/>: [N,C,H,W] <paramref name="activations"/> in the layout tensor
    /// <paramref name="name"/> has, for replacing it in a run.
    /// </summary>
    public Tensor InLayoutOf(string name, Tensor activations) =>
        IsChannelsLast(name) ? activations.permute(0, 2, 3, 1) : activations;

    /// <summary>Runs <paramref name="action"/> with another execution plan in place (for measurements).</summary>
    internal T WithPlan<T>(ExecutionPlan replacement, Func<T> action)
    {
        var original = plan;
        plan = replacement;
        try
        {
            return action();
        }
        finally
        {
            plan = original;
        }
    }

    /// <summary>The slot of tensor <paramref name="name"/>, or an <see cref="UnknownLayerException"/> with the nearest names.</summary>
    internal int SlotOf(string name) =>
        layout.SlotOf.TryGetValue(name, out int slot)
            ? slot
            : throw new UnknownLayerException(ModelPath, name, NameSuggestions.Nearest(name, layout.SlotNames));

    private GraphRun Execute(RunOptions options, Tensor?[]? previous, IReadOnlyDictionary<string, Tensor>? replacements,
        Func<Tensor?[], Tensor[]> prepare)
    {
        int slots = layout.SlotNames.Length;
        var captureSlots = options.Capture.Select(name => (name, slot: SlotOf(name))).ToList();
        var replaceSlots = replacements?.Select(r => (slot: SlotOf(r.Key), value: r.Value)).ToList();

        using var gradMode = torch.set_grad_enabled(options.RecordsGradients);
        using var scope = torch.NewDisposeScope();
        var values = new Tensor?[slots];
        if (previous is not null) Array.Copy(previous, values, slots);
        else Array.Copy(plan.Constants, values, slots);
        var inputs = prepare(values);

        bool[]? replaced = null;
        bool[]? dirty = null;
        if (replaceSlots is { Count: > 0 })
        {
            replaced = new bool[slots];
            foreach (var (slot, value) in replaceSlots)
            {
                values[slot] = value;
                replaced[slot] = true;
            }
        }
        if (previous is not null) dirty = replaced is null ? new bool[slots] : (bool[])replaced.Clone();

        bool[]? requireGrad = null;
        var keep = options.KeepAll || previous is not null ? null : new bool[slots];
        // A replacement belongs to the caller: never free it after its last reader.
        if (keep is not null && replaceSlots is not null) foreach (var (slot, _) in replaceSlots) keep[slot] = true;
        foreach (var (_, slot) in captureSlots)
        {
            if (keep is not null) keep[slot] = true;
            if (options.RecordsGradients) (requireGrad ??= new bool[slots])[slot] = true;
        }

        var produced = new bool[slots];
        var runPlan = replaced is not null && previous is null && !options.KeepAll ? PrunedPlan(replaced, captureSlots.Select(c => c.slot)) : plan;
        int executed = runPlan.Execute(values, new RunContext(ModelPath, options.ReluBackward, options.NodeTicks), keep, replaced, dirty, requireGrad, produced);

        // Hand back tensors this run created as they are; anything else (constants, caller tensors) as an alias,
        // so disposing the run never frees a weight or the caller's tensor.
        var owned = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in inputs) if (scope.Contains(t)) owned.Add(t);
        Tensor Result(int slot)
        {
            var t = values[slot] ?? throw new InvalidOperationException($"tensor '{layout.SlotNames[slot]}' was not computed");
            if (produced[slot] || owned.Contains(t)) { owned.Add(t); return t; }
            var alias = t.alias();
            owned.Add(alias);
            return alias;
        }

        var outputs = layout.OutputSlots.Select(Result).ToList();
        var scoreSource = logitsSlot is int l ? Result(l) : outputs[0];
        var scores = GraphRun.AsScores(scoreSource);
        owned.Add(scores);
        var captured = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, slot) in captureSlots) captured[name] = Result(slot);

        Tensor?[]? kept = null;
        if (options.KeepAll || previous is not null)
        {
            kept = values;
            for (int s = 0; s < slots; s++) if (produced[s] && values[s] is { } t) owned.Add(t);
        }
        scope.MoveToOuter(owned);
        return new GraphRun(this, kept, inputs, outputs, scores, captured, executed, owned.ToList());
    }

    /// <summary>
    /// The plan for a run with replaced tensors: only the nodes the outputs, the scores and the captures need, so
    /// nothing upstream of a replaced layer runs. Cached per set of replaced and captured slots.
    /// </summary>
    private ExecutionPlan PrunedPlan(bool[] replaced, IEnumerable<int> captured)
    {
        if (!ReferenceEquals(prunedFrom, plan))
        {
            prunedPlans.Clear();
            prunedFrom = plan;
        }
        var wanted = alwaysKept.Concat(captured).ToList();
        string key = string.Join(",", Enumerable.Range(0, replaced.Length).Where(s => replaced[s])) + "|" + string.Join(",", wanted.Order());
        if (!prunedPlans.TryGetValue(key, out var pruned))
        {
            pruned = plan.Pruned(wanted, replaced, layout, alwaysKept);
            prunedPlans[key] = pruned;
        }
        return pruned;
    }

    private Tensor PrepareInput(GraphInput declared, Tensor tensor)
    {
        // Checked before any node runs: a wrong layout or channel count would otherwise surface as libtorch's
        // message from inside the first convolution.
        if (declared.Mismatch(tensor.shape) is { } mismatch) throw new ModelInputException(ModelPath, mismatch);
        var type = OnnxDataType.ComputeType(declared.ElementType) ?? ScalarType.Float32;
        if (tensor.dtype == type) return tensor;
        if (torch.is_floating_point(type) != tensor.is_floating_point())
            throw new ModelInputException(ModelPath, $"input '{declared.Name}' needs {declared.ElementTypeName} values, got {tensor.dtype}");
        return tensor.to(type);
    }

    private void LoadInitializers()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var proto in Model.Graph.Initializer)
        {
            int slot = layout.SlotOf[proto.Name];
            initializers[slot] = TensorProtoConverter.ToTensor(proto, ModelPath);
        }
        scope.Detach(initializers.Where(t => t is not null).Cast<IDisposable>());
    }

    /// <summary>(Re)builds the execution plan: trainable initializers vary, everything else may be folded.</summary>
    private void Rebuild()
    {
        var oldPlan = plan;
        var oldKept = kept;
        var newKept = new List<Tensor>();
        var unsupported = new List<(string Operator, string FirstNode)>();
        var initial = new Tensor?[layout.SlotNames.Length];
        for (int s = 0; s < initial.Length; s++)
            if (initializers[s] is { } t && t is not Parameter) initial[s] = t;

        ExecutionPlan built;
        using (var scope = torch.NewDisposeScope())
        {
            built = ExecutionPlan.Build(layout, initial, OpsetVersion, ModelPath, fixedBatchOfOne, alwaysKept, newKept, unsupported, Precision);
            var keep = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (var t in built.Constants) if (t is not null) keep.Add(t);
            foreach (var t in newKept) keep.Add(t);
            scope.Detach(keep);
        }
        if (unsupported.Count > 0) throw new UnsupportedOperatorException(ModelPath, unsupported);
        // Trainable parameters vary (nothing was folded from them) but still start every run in their slots.
        foreach (var (slot, parameter) in parameters) built.Constants[slot] = parameter;

        plan = built;
        kept = newKept;
        if (oldPlan is not null)
        {
            var stillUsed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (var t in initializers) if (t is not null) stillUsed.Add(t);
            foreach (var t in plan.Constants) if (t is not null) stillUsed.Add(t);
            foreach (var t in oldPlan.Constants) if (t is not null && !stillUsed.Contains(t)) t.Dispose();
            foreach (var t in oldKept) t.Dispose();
        }
    }

    /// <summary>The input slot of a final Softmax, looking through Flatten/Reshape/Squeeze/Identity after it.</summary>
    private int? FindLogitsSlot()
    {
        int slot = layout.OutputSlots[0];
        for (int hops = 0; hops < 4; hops++)
        {
            int producer = layout.ProducerOf(slot);
            if (producer < 0) return null;
            var node = layout.Nodes[producer];
            if (node.OpType == "Softmax") return layout.NodeInputs[producer][0];
            if (node.OpType is not ("Flatten" or "Reshape" or "Squeeze" or "Identity")) return null;
            slot = layout.NodeInputs[producer][0];
        }
        return null;
    }
}
