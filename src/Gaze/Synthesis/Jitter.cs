using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Random circular shifts of the image between optimisation steps (Mordvintsev et al., "Inceptionism", 2015; CS231n):
/// the network sees the image at a new offset each time, which discourages patterns tied to one pixel grid.
/// </summary>
internal sealed class Jitter(int maxShift, Random random)
{
    /// <summary>Draws a shift of 0..max pixels in x and y; <see cref="Undo"/> reverses it.</summary>
    public (int X, int Y) Next() => maxShift == 0 ? (0, 0) : (random.Next(0, maxShift + 1), random.Next(0, maxShift + 1));

    /// <summary><paramref name="x"/> [N,C,H,W] shifted by <paramref name="shift"/>.</summary>
    public static Tensor Apply(Tensor x, (int X, int Y) shift) => x.roll([shift.X, shift.Y], [3, 2]);

    /// <summary>The inverse of <see cref="Apply"/>.</summary>
    public static Tensor Undo(Tensor x, (int X, int Y) shift) => x.roll([-shift.X, -shift.Y], [3, 2]);
}
