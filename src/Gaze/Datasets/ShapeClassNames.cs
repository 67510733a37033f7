namespace Gaze.Datasets;

/// <summary>The lower-case names of the <see cref="ShapeClass"/>es, used for folders, labels and annotations.</summary>
public static class ShapeClassNames
{
    private static readonly string[] Names = ["circle", "cross", "heart", "hexagon", "ring", "square", "star", "triangle"];

    /// <summary>Every class, in class-index order.</summary>
    public static IReadOnlyList<ShapeClass> All { get; } = Array.AsReadOnly(Enum.GetValues<ShapeClass>());

    /// <summary>Every class name, in class-index order (which is also ordinal name order).</summary>
    public static IReadOnlyList<string> AllNames { get; } = Array.AsReadOnly(Names);

    /// <summary>How many classes there are.</summary>
    public static int Count => Names.Length;

    /// <summary>The name of <paramref name="shape"/>, for example <c>"circle"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined class.</exception>
    public static string NameOf(ShapeClass shape) =>
        (uint)shape < (uint)Names.Length ? Names[(int)shape] : throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a shape class");

    /// <summary>The class called <paramref name="name"/> (exact, lower case).</summary>
    public static bool TryParse(string? name, out ShapeClass shape)
    {
        int index = name is null ? -1 : Array.IndexOf(Names, name);
        shape = index >= 0 ? (ShapeClass)index : default;
        return index >= 0;
    }
}
