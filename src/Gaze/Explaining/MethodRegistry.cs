using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Attribution.Pixel;
using Gaze.Errors;

namespace Gaze.Explaining;

/// <summary>
/// Every explanation method by its command-line name: what <c>--method</c>, <c>--help</c>, <c>bench</c>,
/// <c>demo</c>, <c>evaluate</c> and the report offer. A new method is one file plus one line in <see cref="Default"/>.
/// </summary>
public sealed class MethodRegistry
{
    private readonly AttributionMethod[] methods;

    /// <summary>A registry of <paramref name="methods"/>, in the order given.</summary>
    /// <exception cref="ArgumentException">Two methods share a name.</exception>
    public MethodRegistry(IEnumerable<AttributionMethod> methods)
    {
        this.methods = [.. methods];
        string? duplicate = this.methods.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null) throw new ArgumentException($"two methods are called '{duplicate}'", nameof(methods));
    }

    /// <summary>The methods Gaze ships, in the order of the documentation.</summary>
    public static MethodRegistry Default { get; } = new(
    [
        new CamAttribution(new OriginalCam(), "CAM: the classifier's weights over the layer (Zhou et al., CVPR 2016)"),
        new CamAttribution(new GradCam(), "Grad-CAM: channels weighted by their mean gradient (Selvaraju et al., ICCV 2017)"),
        new CamAttribution(new GradCamPlusPlus(), "Grad-CAM++: second-order channel weights (Chattopadhyay et al., WACV 2018)"),
        new CamAttribution(new XGradCam(), "XGrad-CAM: activation-normalised gradient weights (Fu et al., BMVC 2020)"),
        new CamAttribution(new HiResCam(), "HiResCAM: gradients times activations, summed over channels (Draelos and Carin, 2020)"),
        new CamAttribution(new GradCamElementwise(), "Grad-CAM element-wise: ReLU of gradients times activations, then summed"),
        new CamAttribution(new LayerCam(), "LayerCAM: positive gradients times activations (Jiang et al., TIP 2021)"),
        new CamAttribution(new ScoreCam(), "Score-CAM: channels weighted by the score of the input they mask (Wang et al., CVPRW 2020)"),
        new CamAttribution(new AblationCam(), "Ablation-CAM: channels weighted by the score drop when ablated (Desai and Ramaswamy, WACV 2020)"),
        new CamAttribution(new EigenCam(), "Eigen-CAM: first principal component of the activations (Muhammad and Yeasin, IJCNN 2020)"),
        new CamAttribution(new EigenGradCam(), "EigenGrad-CAM: first principal component of gradients times activations"),
        new Saliency(),
        new Gradient(),
        new GradientXInput(),
        new GuidedBackprop(),
        new Deconvnet(),
        new GuidedGradCam(),
        new Occlusion(),
        new Rise(),
        new IntegratedGradients(),
        new SmoothGrad(),
        new VarGrad(),
    ]);

    /// <summary>The methods, in order.</summary>
    public IReadOnlyList<AttributionMethod> Methods => methods;

    /// <summary>Every method's name, in order.</summary>
    public IReadOnlyList<string> Names => methods.Select(m => m.Name).ToArray();

    /// <summary>Every method-specific option some method takes, each once, in order of first appearance.</summary>
    public IReadOnlyList<MethodOption> Options => methods.SelectMany(m => m.Options).Distinct().ToArray();

    /// <summary>This registry with <paramref name="method"/> added at the end.</summary>
    public MethodRegistry With(AttributionMethod method) => new([.. methods, method]);

    /// <summary>The method called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="InvalidOptionException">No such method.</exception>
    public AttributionMethod Get(string name, string option = "--method") =>
        methods.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOptionException(option, $"unknown method '{name.Trim()}'; choose from {string.Join(", ", Names)}");

    /// <summary>Parses a comma-separated list of method names, or <c>all</c>; duplicates are dropped.</summary>
    /// <exception cref="InvalidOptionException">No name, or an unknown one.</exception>
    public IReadOnlyList<AttributionMethod> Parse(string text, string option = "--method")
    {
        string[] names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new InvalidOptionException(option, "no method given");
        if (names is ["all"]) return methods;
        return names.Select(n => Get(n, option)).Distinct().ToArray();
    }

    /// <summary>
    /// Checks that each option the user gave is taken by at least one of the chosen methods (an option applies to
    /// the methods that take it).
    /// </summary>
    /// <param name="chosen">The methods that will run.</param>
    /// <param name="given">The command-line names of the method-specific options the user gave.</param>
    /// <exception cref="InvalidOptionException">An option that none of the chosen methods takes.</exception>
    public static void RequireApplicable(IReadOnlyList<AttributionMethod> chosen, IEnumerable<string> given)
    {
        foreach (string option in given)
        {
            if (!chosen.Any(m => m.Options.Any(o => o.Name == option)))
                throw new InvalidOptionException(option, $"does not apply to {string.Join(", ", chosen.Select(m => m.Name))}");
        }
    }
}
