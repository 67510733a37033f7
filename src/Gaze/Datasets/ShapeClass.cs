namespace Gaze.Datasets;

/// <summary>
/// The kinds of foreground object in the shapes data set. The numeric values are the class indices; they follow
/// the ordinal order of the class names (see <see cref="ShapeClassNames"/>), which is the order an ImageFolder
/// reader that sorts its sub-directories assigns, so labels agree whichever way the data is read.
/// </summary>
public enum ShapeClass
{
    /// <summary>A filled disc.</summary>
    Circle = 0,

    /// <summary>A plus sign: two filled bars crossing at their middles.</summary>
    Cross = 1,

    /// <summary>A filled heart.</summary>
    Heart = 2,

    /// <summary>A filled regular hexagon.</summary>
    Hexagon = 3,

    /// <summary>A thick annulus: a disc with a concentric hole that shows the background.</summary>
    Ring = 4,

    /// <summary>A filled square.</summary>
    Square = 5,

    /// <summary>A filled five-pointed star.</summary>
    Star = 6,

    /// <summary>A filled equilateral triangle.</summary>
    Triangle = 7,
}
