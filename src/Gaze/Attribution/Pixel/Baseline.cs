using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// The reference input x′ that path and perturbation attributions compare an image with: Integrated Gradients
/// (Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", ICML 2017) integrates from it, occlusion
/// fills windows with it. The paper's black image is the default; Sturmfels, Lundberg and Lee ("Visualizing the
/// Impact of Feature Attribution Baselines", Distill 2020) show why the choice matters, hence the alternatives:
/// <list type="bullet">
/// <item><c>black</c>: a black image through the model's own preprocessing, (0 − mean) / std per channel.</item>
/// <item><c>mean</c>: the zero tensor, i.e. the dataset mean the preprocessing subtracts.</item>
/// <item><c>blur</c>: the input itself under a Gaussian blur of sigma <see cref="BlurSigma"/> pixels.</item>
/// <item><c>noise</c>: seeded uniform noise over the valid pixel range, through the preprocessing.</item>
/// <item>an image file: decoded, resized and normalised as the model's inputs are.</item>
/// </list>
/// </summary>
public sealed class Baseline
{
    /// <summary>The blur baseline's Gaussian sigma in input pixels (Sturmfels et al. use a blurred input of this order).</summary>
    public const double BlurSigma = 10;

    /// <summary>The words <see cref="Parse"/> accepts besides a file, for messages.</summary>
    public const string Choices = "black, mean, blur, noise or an image FILE";

    private readonly Kind kind;
    private readonly RgbImage? image;

    private Baseline(Kind kind, string text, RgbImage? image = null)
    {
        this.kind = kind;
        this.image = image;
        Text = text;
    }

    private enum Kind
    {
        Black,
        Mean,
        Blur,
        Noise,
        File,
    }

    /// <summary>The default: a black image.</summary>
    public static Baseline Black { get; } = new(Kind.Black, "black");

    /// <summary>The zero tensor (the mean the preprocessing subtracts).</summary>
    public static Baseline Mean { get; } = new(Kind.Mean, "mean");

    /// <summary>The input blurred with a Gaussian of sigma <see cref="BlurSigma"/> pixels.</summary>
    public static Baseline Blur { get; } = new(Kind.Blur, "blur");

    /// <summary>Seeded uniform noise over the valid pixel range.</summary>
    public static Baseline Noise { get; } = new(Kind.Noise, "noise");

    /// <summary>What the user wrote (a keyword in lower case, or the file's path).</summary>
    public string Text { get; }

    /// <summary>Whether the baseline depends on the seed given to <see cref="For"/>.</summary>
    public bool IsRandom => kind == Kind.Noise;

    /// <summary>
    /// The baseline that <paramref name="text"/> names: <c>black</c>, <c>mean</c>, <c>blur</c>, <c>noise</c> (any
    /// case) or the path of an image file, which is decoded at once so that a bad file is an error before any work.
    /// </summary>
    /// <exception cref="InvalidOptionException">Neither a keyword nor a decodable image (names <c>--baseline</c>).</exception>
    public static Baseline Parse(string text)
    {
        string word = text.Trim();
        foreach (Baseline known in new[] { Black, Mean, Blur, Noise })
        {
            if (string.Equals(word, known.Text, StringComparison.OrdinalIgnoreCase)) return known;
        }
        if (word.Length == 0) throw new InvalidOptionException(MethodOption.Baseline.Name, $"expected {Choices}, got ''");
        try
        {
            return new Baseline(Kind.File, text, ImageDecoder.Load(text));
        }
        catch (GazeFileException e)
        {
            throw new InvalidOptionException(MethodOption.Baseline.Name, $"expected {Choices}; {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // A path the file system rejects outright (a bad character, a name too long).
            throw new InvalidOptionException(MethodOption.Baseline.Name, $"expected {Choices}; {text}: {e.Message}");
        }
    }

    /// <summary>
    /// The baseline of each image of <paramref name="input"/>, an NCHW batch as the model's preprocessing makes it.
    /// </summary>
    /// <param name="input">The images, channels first.</param>
    /// <param name="context">Gives the model's preprocessing (<see cref="AttributionOptions.Input"/>).</param>
    /// <param name="seed">The seed of <c>noise</c> (the same seed gives the same baseline); the others ignore it.</param>
    /// <returns>A new tensor of <paramref name="input"/>'s shape, type and device; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The model's preprocessing makes another channel count than the input has.</exception>
    public Tensor For(Tensor input, AttributionContext context, int seed)
    {
        using var scope = NewDisposeScope();
        Tensor result = kind switch
        {
            Kind.Mean => zeros_like(input),
            Kind.Blur => GaussianBlur.Apply(input, BlurSigma),
            // Made at the input's size and stretched, so that no resampling touches them.
            Kind.Black => Preprocessed(new RgbImage(Width(input), Height(input)), input, context, ResizeMode.Stretch),
            Kind.Noise => Preprocessed(NoiseImage(Width(input), Height(input), seed), input, context, ResizeMode.Stretch),
            _ => Preprocessed(image!, input, context, resize: null),
        };
        return result.to(input.dtype, input.device).contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>
    /// <paramref name="picture"/> through the model's preprocessing at the input's size, channels first, repeated for
    /// every image of <paramref name="input"/>; <paramref name="resize"/> replaces the model's resize mode, or null.
    /// </summary>
    private static Tensor Preprocessed(RgbImage picture, Tensor input, AttributionContext context, ResizeMode? resize)
    {
        ModelInput model = context.Options.Input ?? ModelInput.Default;
        var preprocessor = new ImagePreprocessor(model with
        {
            Size = new InputSize(Height(input), Width(input)),
            Layout = TensorLayout.NCHW,
            Resize = resize ?? model.Resize,
        });
        Tensor one = preprocessor.Preprocess(picture);
        if (one.shape[1] != input.shape[1])
        {
            throw new ArgumentException(
                $"the model's preprocessing makes {one.shape[1]} channel(s), the input has {input.shape[1]}; set AttributionOptions.Input to the model's input", nameof(input));
        }
        return one.expand(input.shape);
    }

    /// <summary>Uniform random pixel values, from a seeded generator so that a seed always gives the same picture.</summary>
    private static RgbImage NoiseImage(int width, int height, int seed)
    {
        var pixels = new byte[checked(width * height * 3)];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    private static int Height(Tensor input) => (int)input.shape[2];

    private static int Width(Tensor input) => (int)input.shape[3];
}
