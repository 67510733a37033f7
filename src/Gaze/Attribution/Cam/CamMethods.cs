using Gaze.Errors;

namespace Gaze.Attribution.Cam;

/// <summary>The CAM methods by their command-line names.</summary>
public static class CamMethods
{
    private static readonly Func<CamMethod>[] Factories =
    [
        () => new OriginalCam(),
        () => new GradCam(),
        () => new GradCamPlusPlus(),
        () => new XGradCam(),
        () => new HiResCam(),
        () => new GradCamElementwise(),
        () => new LayerCam(),
        () => new ScoreCam(),
        () => new AblationCam(),
        () => new EigenCam(),
        () => new EigenGradCam(),
    ];

    /// <summary>Every method's name, in the order of the documentation.</summary>
    public static IReadOnlyList<string> Names { get; } = Factories.Select(f => f().Name).ToList();

    /// <summary>The method called <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <param name="option">The option that named it, for the error message.</param>
    /// <exception cref="InvalidOptionException">No such method.</exception>
    public static CamMethod Create(string name, string option = "--method")
    {
        int index = Names.ToList().FindIndex(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (index < 0) throw new InvalidOptionException(option, $"unknown method '{name}'; choose from {string.Join(", ", Names)}");
        return Factories[index]();
    }
}
