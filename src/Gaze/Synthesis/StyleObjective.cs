using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>The parts of the style-transfer loss of one image.</summary>
/// <param name="Content">The weighted content loss.</param>
/// <param name="Style">The weighted style loss, summed over the style layers.</param>
/// <param name="TotalVariation">The weighted total variation.</param>
public sealed record StyleLossParts(double Content, double Style, double TotalVariation)
{
    /// <summary>Their sum, the loss the optimisation minimises.</summary>
    public double Total => Content + Style + TotalVariation;
}

/// <summary>
/// The style-transfer loss for fixed targets: the content image's features at the content layer and the style
/// image's Gram matrices at the style layers, computed once. Owns them; dispose it.
/// </summary>
public sealed class StyleObjective : IDisposable
{
    private readonly SynthesisNetwork network;

    private readonly double tvWeight;
    private readonly double featureScale;
    private readonly Tensor contentTarget;
    private readonly Tensor[] styleTargets;

    /// <summary>Targets from <paramref name="content"/> and, when there are style layers, <paramref name="style"/> ([1,C,H,W] each).</summary>
    /// <exception cref="Errors.UnknownLayerException">A layer the model does not have.</exception>
    /// <exception cref="Errors.InvalidOptionException">A style layer without spatial extent.</exception>
    public StyleObjective(SynthesisNetwork network, Tensor content, Tensor? style, StyleTransferOptions options)
    {
        this.network = network;
        Options = options.Validate();
        tvWeight = options.TvWeight / (network.Space.Scale * network.Space.Scale);
        // Features grow with the input's scale (about linearly through the first layers), so they are divided by it:
        // the CS231n weights, chosen for torchvision's space, then balance content and style on any preprocessing.
        featureScale = network.Space.Scale;
        Layers = options.Layers();
        contentTarget = Normalised(network.Features(content, [options.ContentLayer])[options.ContentLayer]).DetachFromDisposeScope();
        styleTargets = new Tensor[options.StyleLayers.Count];
        if (options.StyleLayers.Count == 0) return;
        if (style is null) throw new ArgumentException("style layers need a style image", nameof(style));
        IReadOnlyDictionary<string, Tensor> features = network.Features(style, options.StyleLayers);
        for (int i = 0; i < styleTargets.Length; i++)
        {
            Tensor map = features[options.StyleLayers[i]];
            if (map.dim() != 4 || map.shape[2] * map.shape[3] < 2)
            {
                throw new Errors.InvalidOptionException("--style-layers",
                    $"{options.StyleLayers[i]} has shape [{string.Join(",", map.shape)}], not [N,C,H,W]: a style layer needs a spatial extent");
            }
            styleTargets[i] = StyleLosses.Gram(Normalised(map)).DetachFromDisposeScope();
        }
    }

    /// <summary>The settings the objective was made with (validated).</summary>
    public StyleTransferOptions Options { get; }

    /// <summary>The layers a run must capture.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>The loss of a run that captured <see cref="Layers"/>, with its input (channels first).</summary>
    public Tensor Loss(GraphRun run, Tensor input)
    {
        var (content, style, variation) = Parts(run, input);
        return content + style + variation;
    }

    /// <summary>The parts of the loss of <paramref name="x"/> [1,C,H,W], without gradients.</summary>
    public StyleLossParts Measure(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using GraphRun run = network.Graph.Run(network.ToModelLayout(x), new RunOptions { Capture = Layers });
        var (content, style, variation) = Parts(run, x);
        return new StyleLossParts(Value(content), Value(style), Value(variation));
    }

    /// <summary>Frees the targets.</summary>
    public void Dispose()
    {
        contentTarget.Dispose();
        foreach (Tensor target in styleTargets) target?.Dispose();
    }

    private (Tensor Content, Tensor Style, Tensor Variation) Parts(GraphRun run, Tensor input)
    {
        Tensor content = StyleLosses.Content(Options.ContentWeight, Normalised(network.Graph.ChannelsFirst(Options.ContentLayer, run.Captured[Options.ContentLayer])), contentTarget);
        Tensor style = zeros(1);
        for (int i = 0; i < styleTargets.Length; i++)
        {
            style = style + StyleLosses.Style(Options.StyleWeights[i], Normalised(network.Graph.ChannelsFirst(Options.StyleLayers[i], run.Captured[Options.StyleLayers[i]])), styleTargets[i]);
        }
        return (content, style.sum(), StyleLosses.TotalVariation(tvWeight, input));
    }

    private Tensor Normalised(Tensor features) => features.to(ScalarType.Float32) / featureScale;

    private static double Value(Tensor t) => t.to(ScalarType.Float64).item<double>();
}
