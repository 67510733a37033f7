using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Gaze.Tests.Architecture;

/// <summary>
/// Which namespaces of a compiled assembly use which others, read from its metadata and IL with
/// System.Reflection.Metadata. Every type definition counts for the namespace of its outermost declaring type, so
/// nested and compiler-generated types (closures, iterators, async state machines) count where their code was
/// written. A type's references are its base type, interfaces, generic constraints, the signatures of its fields,
/// methods, properties and events, the types of its custom attributes, its method bodies' locals and catch types,
/// and every metadata token in its IL (types, fields, methods, generic instantiations, call-site signatures), each
/// resolved to the namespace of the (outermost) type that declares it. Only namespaces under a prefix are kept.
/// </summary>
internal sealed class NamespaceGraph
{
    /// <summary>from namespace, to namespace, and the pairs of types that make that edge ("A uses B").</summary>
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>Every namespace under the prefix that holds a type, whether or not it uses another.</summary>
    public IReadOnlyCollection<string> Namespaces => edges.Keys;

    /// <summary>The number of edges between different namespaces.</summary>
    public int EdgeCount => edges.Values.Sum(targets => targets.Count);

    /// <summary>The namespaces <paramref name="from"/> uses (not itself), sorted.</summary>
    public IReadOnlyList<string> DependenciesOf(string from) =>
        edges.TryGetValue(from, out var targets) ? [.. targets.Keys] : [];

    /// <summary>Whether <paramref name="from"/> uses <paramref name="to"/>.</summary>
    public bool HasEdge(string from, string to) => edges.TryGetValue(from, out var targets) && targets.ContainsKey(to);

    /// <summary>The graph of the assembly at <paramref name="assemblyPath"/>, for the namespaces that are <paramref name="prefix"/> or lie under it.</summary>
    public static NamespaceGraph Read(string assemblyPath, string prefix)
    {
        var graph = new NamespaceGraph();
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var walker = new Walker(pe, reader, prefix, graph);
        foreach (var type in reader.TypeDefinitions) walker.Walk(type);
        return graph;
    }

    /// <summary>
    /// One cycle for each strongly connected component of more than one namespace: the path that leaves the
    /// component's first namespace (ordinal order) and comes back to it the shortest way, for example
    /// <c>[A, B, A]</c>, and all the namespaces of the component. Empty when the graph is acyclic.
    /// </summary>
    public IReadOnlyList<NamespaceCycle> Cycles() =>
        [.. StronglyConnectedComponents()
            .Where(component => component.Count > 1)
            .Select(component => component.Order(StringComparer.Ordinal).ToList())
            .Select(component => new NamespaceCycle(ShortestCycle(component[0], component), component))];

    /// <summary>
    /// A cycle written out with arrows, then every edge between the namespaces of its component with the types
    /// that make it (at most three).
    /// </summary>
    public string Explain(NamespaceCycle cycle)
    {
        var text = new StringBuilder(string.Join(" -> ", cycle.Path));
        if (cycle.Members.Count > cycle.Path.Count - 1) text.Append($" (all of {string.Join(", ", cycle.Members)} reach each other)");
        foreach (string from in cycle.Members)
        {
            foreach (var (to, uses) in edges[from].Where(edge => cycle.Members.Contains(edge.Key)))
                text.Append($"\n  {from} -> {to}: {string.Join("; ", uses.Take(3))}{(uses.Count > 3 ? $"; and {uses.Count - 3} more" : "")}");
        }
        return text.ToString();
    }

    /// <summary>One line per namespace: <c>A -> B, C</c> (or <c>A -> (nothing)</c>).</summary>
    public string Describe() =>
        string.Join("\n", edges.Select(pair =>
            $"{pair.Key} -> {(pair.Value.Count == 0 ? "(nothing)" : string.Join(", ", pair.Value.Keys))}"));

    private void AddNamespace(string name)
    {
        if (!edges.ContainsKey(name)) edges[name] = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
    }

    private void AddEdge(string from, string to, string use)
    {
        AddNamespace(from);
        AddNamespace(to);
        if (!edges[from].TryGetValue(to, out var uses)) edges[from][to] = uses = new SortedSet<string>(StringComparer.Ordinal);
        uses.Add(use);
    }

    /// <summary>Tarjan's algorithm.</summary>
    private List<List<string>> StronglyConnectedComponents()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (string next in edges[node].Keys)
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);
            components.Add(component);
        }

        foreach (string node in edges.Keys)
            if (!index.ContainsKey(node)) Visit(node);
        return components;
    }

    /// <summary>Breadth-first from <paramref name="start"/> inside <paramref name="component"/> until an edge leads back to it.</summary>
    private List<string> ShortestCycle(string start, IReadOnlyCollection<string> component)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            string node = queue.Dequeue();
            foreach (string next in edges[node].Keys.Where(members.Contains))
            {
                if (next == start)
                {
                    var path = new List<string>();
                    for (string at = node; at != start; at = previous[at]) path.Add(at);
                    path.Add(start);
                    path.Reverse();
                    path.Add(start);
                    return path;
                }
                if (previous.TryAdd(next, node)) queue.Enqueue(next);
            }
        }
        throw new InvalidOperationException($"{start} is in a strongly connected component but on no cycle");
    }

    /// <summary>Reads one type definition's references and adds its edges.</summary>
    private sealed class Walker
    {
        /// <summary>The operand kind of every IL opcode, by its one- or two-byte value (two-byte ones as 0xFExx).</summary>
        private static readonly Dictionary<int, OperandType> Operands = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => (OpCode)field.GetValue(null)!)
            .ToDictionary(code => (int)(ushort)code.Value, code => code.OperandType);

        private readonly PEReader pe;
        private readonly MetadataReader reader;
        private readonly string prefix;
        private readonly NamespaceGraph graph;
        private readonly SignatureNames signatures;
        private string fromNamespace = "";
        private string fromType = "";

        public Walker(PEReader pe, MetadataReader reader, string prefix, NamespaceGraph graph)
        {
            this.pe = pe;
            this.reader = reader;
            this.prefix = prefix;
            this.graph = graph;
            signatures = new SignatureNames(this);
        }

        public void Walk(TypeDefinitionHandle handle)
        {
            var outermost = Outermost(handle);
            (fromNamespace, fromType) = (outermost.Namespace, FullName(outermost));
            if (!InScope(fromNamespace)) return;
            graph.AddNamespace(fromNamespace);

            var type = reader.GetTypeDefinition(handle);
            Entity(type.BaseType);
            foreach (var implementation in type.GetInterfaceImplementations())
            {
                var interfaceImplementation = reader.GetInterfaceImplementation(implementation);
                Entity(interfaceImplementation.Interface);
                Attributes(interfaceImplementation.GetCustomAttributes());
            }
            Attributes(type.GetCustomAttributes());
            GenericParameters(type.GetGenericParameters());

            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                field.DecodeSignature(signatures, null);
                Attributes(field.GetCustomAttributes());
            }
            foreach (var methodHandle in type.GetMethods()) Method(reader.GetMethodDefinition(methodHandle));
            foreach (var propertyHandle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(propertyHandle);
                property.DecodeSignature(signatures, null);
                Attributes(property.GetCustomAttributes());
            }
            foreach (var eventHandle in type.GetEvents())
            {
                var @event = reader.GetEventDefinition(eventHandle);
                Entity(@event.Type);
                Attributes(@event.GetCustomAttributes());
            }
            foreach (var implementationHandle in type.GetMethodImplementations())
            {
                var implementation = reader.GetMethodImplementation(implementationHandle);
                Entity(implementation.MethodBody);
                Entity(implementation.MethodDeclaration);
            }
        }

        private void Method(MethodDefinition method)
        {
            method.DecodeSignature(signatures, null);
            Attributes(method.GetCustomAttributes());
            GenericParameters(method.GetGenericParameters());
            foreach (var parameter in method.GetParameters()) Attributes(reader.GetParameter(parameter).GetCustomAttributes());
            if (method.RelativeVirtualAddress == 0) return;

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
                reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(signatures, null);
            foreach (var region in body.ExceptionRegions) Entity(region.CatchType);
            Instructions(body.GetILReader());
        }

        /// <summary>Walks the IL opcode by opcode and follows every operand that is a metadata token.</summary>
        private void Instructions(BlobReader il)
        {
            while (il.RemainingBytes > 0)
            {
                int code = il.ReadByte();
                if (code == 0xFE) code = 0xFE00 | il.ReadByte();
                if (!Operands.TryGetValue(code, out var operand))
                    throw new InvalidOperationException($"unknown IL opcode 0x{code:X} in {fromType}");
                switch (operand)
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.ReadByte();
                        break;
                    case OperandType.InlineVar:
                        il.ReadInt16();
                        break;
                    case OperandType.InlineI or OperandType.InlineBrTarget or OperandType.ShortInlineR or OperandType.InlineString:
                        il.ReadInt32();
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32();
                        for (int i = 0; i < targets; i++) il.ReadInt32();
                        break;
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
                        or OperandType.InlineType or OperandType.InlineSig:
                        Entity(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    default:
                        throw new InvalidOperationException($"IL operand {operand} of opcode 0x{code:X} is not handled");
                }
            }
        }

        private void Attributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var attribute in attributes) Entity(reader.GetCustomAttribute(attribute).Constructor);
        }

        private void GenericParameters(GenericParameterHandleCollection parameters)
        {
            foreach (var parameterHandle in parameters)
            {
                var parameter = reader.GetGenericParameter(parameterHandle);
                Attributes(parameter.GetCustomAttributes());
                foreach (var constraint in parameter.GetConstraints())
                    Entity(reader.GetGenericParameterConstraint(constraint).Type);
            }
        }

        /// <summary>Any type, member or signature a token or a metadata row can name.</summary>
        private void Entity(EntityHandle handle)
        {
            if (handle.IsNil) return;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Uses(Outermost((TypeDefinitionHandle)handle));
                    break;
                case HandleKind.TypeReference:
                    Uses(Outermost((TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(signatures, null);
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    Entity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(signatures, null);
                    else member.DecodeFieldSignature(signatures, null);
                    break;
                case HandleKind.MethodDefinition:
                    Entity(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    Entity(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Entity(specification.Method);
                    specification.DecodeSignature(signatures, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.Method) signature.DecodeMethodSignature(signatures, null);
                    else signature.DecodeLocalSignature(signatures, null);
                    break;
                case HandleKind.ModuleReference or HandleKind.ModuleDefinition:
                    break;
                default:
                    throw new InvalidOperationException($"{handle.Kind} handles are not handled (in {fromType})");
            }
        }

        private void Uses((string Namespace, string Name) type)
        {
            if (type.Namespace == fromNamespace || !InScope(type.Namespace)) return;
            graph.AddEdge(fromNamespace, type.Namespace, $"{fromType} uses {FullName(type)}");
        }

        private bool InScope(string name) =>
            name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal);

        private (string Namespace, string Name) Outermost(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            while (type.IsNested) type = reader.GetTypeDefinition(type.GetDeclaringType());
            return (reader.GetString(type.Namespace), reader.GetString(type.Name));
        }

        private (string Namespace, string Name) Outermost(TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            while (type.ResolutionScope.Kind == HandleKind.TypeReference)
                type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            return (reader.GetString(type.Namespace), reader.GetString(type.Name));
        }

        private static string FullName((string Namespace, string Name) type) =>
            type.Namespace.Length == 0 ? type.Name : $"{type.Namespace}.{type.Name}";

        /// <summary>Decodes signatures, reporting every named type in them to the walker; the decoded value itself is unused.</summary>
        private sealed class SignatureNames(Walker walker) : ISignatureTypeProvider<object?, object?>
        {
            public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
            {
                walker.Entity(handle);
                return null;
            }

            public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                walker.Entity(handle);
                return null;
            }

            public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            {
                walker.Entity(handle);
                return null;
            }

            public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

            public object? GetSZArrayType(object? elementType) => null;

            public object? GetArrayType(object? elementType, ArrayShape shape) => null;

            public object? GetByReferenceType(object? elementType) => null;

            public object? GetPointerType(object? elementType) => null;

            public object? GetPinnedType(object? elementType) => null;

            public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

            public object? GetGenericMethodParameter(object? genericContext, int index) => null;

            public object? GetGenericTypeParameter(object? genericContext, int index) => null;

            public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;

            public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        }
    }
}

/// <summary>A cycle of namespaces, first namespace repeated at the end, and the strongly connected component it lies in.</summary>
internal sealed record NamespaceCycle(IReadOnlyList<string> Path, IReadOnlyList<string> Members);
