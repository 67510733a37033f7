using Xunit.Abstractions;

namespace Gaze.Tests.Architecture;

/// <summary>
/// The namespaces of the compiled library form no cycle: no namespace uses one that uses it back, directly or
/// through others. The graph is read from the assembly's metadata and IL (see <see cref="NamespaceGraph"/>).
/// </summary>
public sealed class NamespaceDependencyTests(ITestOutputHelper output)
{
    private static readonly Lazy<NamespaceGraph> Library =
        new(() => NamespaceGraph.Read(typeof(GazeVersion).Assembly.Location, "Gaze"));

    [Fact]
    public void No_namespace_of_the_library_uses_one_that_uses_it_back()
    {
        var graph = Library.Value;
        output.WriteLine(graph.Describe());

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "namespace cycles:\n" + string.Join("\n", cycles.Select(graph.Explain)));
    }

    [Fact]
    public void The_library_graph_has_its_known_shape()
    {
        var graph = Library.Value;

        Assert.True(graph.Namespaces.Count >= 15, $"only {graph.Namespaces.Count} namespaces found:\n{graph.Describe()}");
        Assert.True(graph.EdgeCount >= 36, $"only {graph.EdgeCount} edges found:\n{graph.Describe()}");
        Assert.True(graph.HasEdge("Gaze.Rendering", "Gaze.Imaging"), graph.Describe());
        Assert.True(graph.HasEdge("Gaze.Attribution.Cam", "Gaze.Onnx"), graph.Describe());
        Assert.Empty(graph.DependenciesOf("Gaze.Errors"));
        Assert.Equal(["Gaze.Engine", "Gaze.Errors"], graph.DependenciesOf("Gaze.IO"));
        Assert.True(graph.HasEdge("Gaze.Onnx.Runtime", "Gaze.Onnx"), graph.Describe());
        Assert.DoesNotContain("Gaze.Onnx.Runtime", graph.DependenciesOf("Gaze.Onnx"));
    }

    [Fact]
    public void The_walker_finds_uses_inside_method_bodies_and_compiler_generated_types()
    {
        const string samples = "Gaze.Tests.Architecture.Samples";
        var graph = NamespaceGraph.Read(typeof(NamespaceDependencyTests).Assembly.Location, samples);

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal($"{samples}.Lower -> {samples}.Upper -> {samples}.Lower", string.Join(" -> ", cycle.Path));
        Assert.Contains($"{samples}.Lower.Caller uses {samples}.Upper.Root", graph.Explain(cycle));
        Assert.Contains($"{samples}.Upper.Root uses {samples}.Lower.Leaf", graph.Explain(cycle));
    }
}
