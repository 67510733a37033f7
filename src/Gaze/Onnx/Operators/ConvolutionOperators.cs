using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>Padding rules shared by convolutions and pooling (pads attribute or auto_pad).</summary>
internal static class SpatialPadding
{
    /// <summary>
    /// Begin and end padding per spatial axis for an input with spatial sizes <paramref name="input"/>.
    /// SAME_UPPER/SAME_LOWER choose padding so that output = ceil(input / stride); the odd pixel goes at the end for
    /// SAME_UPPER and at the beginning for SAME_LOWER. VALID means none.
    /// </summary>
    public static (long[] Begin, long[] End) Resolve(string autoPad, long[]? pads, ReadOnlySpan<long> input,
        long[] kernel, long[] strides, long[] dilations)
    {
        int n = input.Length;
        switch (autoPad)
        {
            case "SAME_UPPER":
            case "SAME_LOWER":
                var begin = new long[n];
                var end = new long[n];
                for (int i = 0; i < n; i++)
                {
                    long output = (input[i] + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - input[i]);
                    long small = total / 2;
                    (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }
                return (begin, end);
            case "VALID":
                return (new long[n], new long[n]);
            default:
                return Values.SplitPads(pads, n);
        }
    }

    /// <summary>True when every axis pads the same amount on both sides.</summary>
    public static bool IsSymmetric(long[] begin, long[] end)
    {
        for (int i = 0; i < begin.Length; i++) if (begin[i] != end[i]) return false;
        return true;
    }

    /// <summary>Checks the auto_pad value at load.</summary>
    public static string AutoPad(NodeContext node)
    {
        string autoPad = node.String("auto_pad", "NOTSET");
        return autoPad is "NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"
            ? autoPad
            : throw new NotSupportedException($"auto_pad '{autoPad}'");
    }

    /// <summary>An attribute list of <paramref name="count"/> values, defaulting to <paramref name="fallback"/>.</summary>
    public static long[] PerAxis(long[]? values, int count, long fallback) =>
        values is { Length: > 0 } ? values : Enumerable.Repeat(fallback, count).ToArray();
}

/// <summary>The attributes Conv and ConvTranspose share, read once at load.</summary>
internal sealed class ConvolutionAttributes(NodeContext node)
{
    public string AutoPad { get; } = SpatialPadding.AutoPad(node);
    public long[]? Pads { get; } = node.Ints("pads");
    public long Groups { get; } = node.Int("group", 1);
    private readonly long[]? strides = node.Ints("strides");
    private readonly long[]? dilations = node.Ints("dilations");
    private readonly long[]? kernelShape = node.Ints("kernel_shape");

    /// <summary>Spatial rank, kernel size, strides and dilations for input <paramref name="x"/> and weight <paramref name="w"/>.</summary>
    public (int Spatial, long[] Kernel, long[] Strides, long[] Dilations) For(Tensor x, Tensor w, string op)
    {
        int spatial = (int)x.dim() - 2;
        if (spatial < 1 || spatial > 3) throw new NotSupportedException($"{op} on a {x.dim()}-D input");
        return (spatial, kernelShape ?? w.shape[2..], SpatialPadding.PerAxis(strides, spatial, 1), SpatialPadding.PerAxis(dilations, spatial, 1));
    }
}

/// <summary>
/// Conv: 1-D, 2-D and 3-D convolution with groups, dilations, strides, explicit or automatic padding. 2-D
/// convolutions run channels-last (<see cref="ChannelsLast"/>), in the graph's <see cref="Engine.Precision"/>.
/// </summary>
internal sealed class ConvOperator : SingleOutputOperator
{
    private readonly ConvolutionAttributes attributes;
    private readonly Engine.Precision precision;

    /// <summary>A constant weight and bias prepared once at load (layout and number format); null when they vary (training).</summary>
    private readonly Tensor? preparedWeight, preparedBias;

    public ConvOperator(NodeContext node)
    {
        attributes = new ConvolutionAttributes(node);
        precision = node.Precision;
        if (node.Constant(1) is { } w && (!node.HasInput(2) || node.Constant(2) is not null))
        {
            preparedWeight = node.KeepDerived(w, MatrixPrecision.In(ChannelsLast.Of(w), precision));
            if (node.Constant(2) is { } b) preparedBias = node.KeepDerived(b, MatrixPrecision.In(b, precision));
        }
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = MatrixPrecision.In(ChannelsLast.Of(io.Input(0)), precision);
        var w = preparedWeight ?? MatrixPrecision.In(io.Input(1), precision);
        var b = preparedWeight is null ? MatrixPrecision.OptionalIn(io.OptionalInput(2), precision) : preparedBias;
        var (spatial, kernel, s, d) = attributes.For(x, w, "Conv");
        long groups = attributes.Groups;
        var (begin, end) = SpatialPadding.Resolve(attributes.AutoPad, attributes.Pads, x.shape.AsSpan(2), kernel, s, d);
        long[] padding = begin;
        if (!SpatialPadding.IsSymmetric(begin, end))
        {
            x = F.pad(x, Values.TorchPadList(begin, end));
            padding = new long[spatial];
        }
        long outChannels = w.shape[0];
        bool padded = ConvolutionChannelPadding.Needed(x, w, groups);
        if (padded) (w, b) = ConvolutionChannelPadding.Pad(w, b);
        var y = spatial switch
        {
            // libtorch's 2-D kernels on a trailing axis of size 1 cover 1-D convolution.
            1 => F.conv2d(x.unsqueeze(-1), w.unsqueeze(-1), b, [s[0], 1], [padding[0], 0], [d[0], 1], groups).squeeze(-1),
            2 => F.conv2d(x, w, b, s, padding, d, groups),
            _ => F.conv3d(x, w, b, s, padding, d, groups),
        };
        return MatrixPrecision.Out(padded ? y.narrow(1, 0, outChannels) : y);
    }
}

/// <summary>
/// ConvTranspose (1-D to 3-D) with pads, output_padding, auto_pad and output_shape. It runs libtorch's transposed
/// convolution without padding and then crops (or extends) each axis, which covers asymmetric padding too.
/// </summary>
internal sealed class ConvTransposeOperator : SingleOutputOperator
{
    private readonly ConvolutionAttributes attributes;
    private readonly long[]? outputPadding, outputShape;

    private readonly Engine.Precision precision;

    public ConvTransposeOperator(NodeContext node)
    {
        attributes = new ConvolutionAttributes(node);
        precision = node.Precision;
        outputPadding = node.Ints("output_padding");
        outputShape = node.Ints("output_shape");
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = MatrixPrecision.In(io.Input(0), precision);
        var w = MatrixPrecision.In(io.Input(1), precision);
        var b = MatrixPrecision.OptionalIn(io.OptionalInput(2), precision);
        var (spatial, kernel, s, d) = attributes.For(x, w, "ConvTranspose");
        long groups = attributes.Groups;
        long[] extra = SpatialPadding.PerAxis(outputPadding, spatial, 0);
        var (begin, end) = Crops(x.shape.AsSpan(2), kernel, s, d, extra);

        bool oneD = spatial == 1;
        if (oneD)
        {
            x = x.unsqueeze(-1);
            w = w.unsqueeze(-1);
            kernel = [kernel[0], 1];
            s = [s[0], 1];
            d = [d[0], 1];
            extra = [extra[0], 0];
            begin = [begin[0], 0];
            end = [end[0], 0];
        }

        Tensor y;
        if (SpatialPadding.IsSymmetric(begin, end) && begin.All(p => p >= 0)
            && extra.Select((e, i) => e >= 0 && e < Math.Max(s[i], d[i])).All(ok => ok))
        {
            // The common case maps directly onto libtorch's padding and output_padding.
            y = kernel.Length == 2
                ? F.conv_transpose2d(x, w, b, s, begin, extra, d, groups)
                : F.conv_transpose3d(x, w, b, s, begin, extra, d, groups);
        }
        else
        {
            y = kernel.Length == 2
                ? F.conv_transpose2d(x, w, null, s, null, null, d, groups)
                : F.conv_transpose3d(x, w, null, s, null, null, d, groups);
            // Output padding adds zero rows at the end; a negative pad crops.
            var cropBegin = begin.Select(p => -p).ToArray();
            var cropEnd = end.Select((p, i) => extra[i] - p).ToArray();
            y = F.pad(y, Values.TorchPadList(cropBegin, cropEnd));
            if (b is not null)
            {
                var shape = Enumerable.Repeat(1L, (int)y.dim()).ToArray();
                shape[1] = -1;
                y = y.add(b.reshape(shape));
            }
        }
        return MatrixPrecision.Out(oneD ? y.squeeze(-1) : y);
    }

    /// <summary>How much to remove at the beginning and end of each axis of the full transposed convolution
    /// (negative: add), given output_shape, auto_pad or pads.</summary>
    private (long[] Begin, long[] End) Crops(ReadOnlySpan<long> input, long[] kernel, long[] s, long[] d, long[] extra)
    {
        int n = input.Length;
        if (outputShape is null && attributes.AutoPad is not ("SAME_UPPER" or "SAME_LOWER"))
            return attributes.AutoPad == "VALID" ? (new long[n], new long[n]) : Values.SplitPads(attributes.Pads, n);

        var begin = new long[n];
        var end = new long[n];
        for (int i = 0; i < n; i++)
        {
            long total = outputShape is not null
                ? TotalPaddingForOutputShape(input[i], outputShape[outputShape.Length - n + i], kernel[i], s[i], d[i], extra[i])
                : s[i] * (input[i] - 1) + extra[i] + (kernel[i] - 1) * d[i] + 1 - input[i] * s[i];
            if (total < 0)
            {
                // The requested output is longer than the convolution reaches: extend at the end.
                end[i] = total;
                continue;
            }
            long half = total / 2;
            (begin[i], end[i]) = attributes.AutoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
        }
        return (begin, end);
    }

    /// <summary>
    /// Total padding implied by an explicit output_shape. When output_shape does not fit this input size (models
    /// exported at one fixed size, such as fast style transfer), the padding the exporter meant is kept instead,
    /// so the output follows the input size: it is derived from the input size ONNX Runtime would expect.
    /// </summary>
    internal static long TotalPaddingForOutputShape(long input, long output, long kernel, long stride, long dilation, long extra)
    {
        long reach = (kernel - 1) * dilation + 1;
        long total = stride * (input - 1) + extra + reach - output;
        bool fits = total > -stride && total < reach + stride;
        if (fits) return total;
        long expectedInput = Math.Max(1, (output - reach - extra) / stride + 1);
        return stride * (expectedInput - 1) + extra + reach - output;
    }
}

/// <summary>Factories for convolutions.</summary>
internal static class ConvolutionOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("Conv", n => new ConvOperator(n));
        r.Add("ConvTranspose", n => new ConvTransposeOperator(n));
    }
}
