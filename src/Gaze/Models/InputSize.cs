namespace Gaze.Models;

/// <summary>A model's input size in pixels, height first as in the sidecar's <c>input.size</c>.</summary>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public readonly record struct InputSize(int Height, int Width)
{
    /// <summary>A square size.</summary>
    public static InputSize Square(int side) => new(side, side);

    /// <summary>The size as the sidecar writes it, <c>[height, width]</c>.</summary>
    public override string ToString() => $"[{Height}, {Width}]";
}
