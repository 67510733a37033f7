namespace Gaze.Errors;

/// <summary>
/// A model uses operators Gaze cannot run. Raised once at load time, before any run, and lists every unsupported
/// operator type with the first node that uses it, so a user sees the whole problem at once.
/// </summary>
public sealed class UnsupportedOperatorException : GazeFileException
{
    /// <summary>Creates the exception for the model at <paramref name="path"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="operators">Each unsupported operator (with the reason, if only some attribute values are
    /// unsupported) and the name of the first node that uses it, in graph order.</param>
    public UnsupportedOperatorException(string path, IReadOnlyList<(string Operator, string FirstNode)> operators)
        : base(path, "unsupported operators: " + string.Join(", ", operators.Select(o => $"{o.Operator} (first at node '{o.FirstNode}')")))
    {
        Operators = operators;
    }

    /// <summary>Every unsupported operator with the first node that uses it.</summary>
    public IReadOnlyList<(string Operator, string FirstNode)> Operators { get; }
}
