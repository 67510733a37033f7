using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Gaze.Onnx.Operators;

/// <summary>
/// MaxPool and AveragePool over 1 to 3 spatial axes. Symmetric padding up to half the kernel maps onto libtorch's
/// pooling; other padding is applied explicitly first (with -inf for max, and with a count of real pixels for
/// averages that exclude the padding).
/// </summary>
internal sealed class PoolOperator : SingleOutputOperator
{
    private readonly bool isMax;
    private readonly string autoPad;
    private readonly long[] kernel;
    private readonly long[]? pads, strides, dilations;
    private readonly bool ceilMode, countIncludePad;

    public PoolOperator(NodeContext node, bool isMax)
    {
        this.isMax = isMax;
        autoPad = SpatialPadding.AutoPad(node);
        kernel = node.Ints("kernel_shape") ?? throw new NotSupportedException("pooling without kernel_shape");
        pads = node.Ints("pads");
        strides = node.Ints("strides");
        dilations = node.Ints("dilations");
        ceilMode = node.Int("ceil_mode", 0) != 0;
        countIncludePad = node.Int("count_include_pad", 0) != 0;
        if (isMax && node.OutputCount > 1 && node.Node.Output[1].Length > 0)
            throw new NotSupportedException("the Indices output");
        if (!isMax && dilations is not null && dilations.Any(v => v != 1))
            throw new NotSupportedException("dilated average pooling");
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = io.Input(0);
        int n = kernel.Length;
        if (x.dim() != n + 2) throw new NotSupportedException($"pooling a {x.dim()}-D input with a {n}-D kernel");
        long[] s = SpatialPadding.PerAxis(strides, n, 1);
        long[] d = SpatialPadding.PerAxis(dilations, n, 1);
        var (begin, end) = SpatialPadding.Resolve(autoPad, pads, x.shape.AsSpan(2), kernel, s, d);

        long[] k = kernel;
        bool oneD = n == 1;
        if (oneD)
        {
            x = x.unsqueeze(-1);
            k = [k[0], 1];
            s = [s[0], 1];
            d = [d[0], 1];
            begin = [begin[0], 0];
            end = [end[0], 0];
        }

        bool native = SpatialPadding.IsSymmetric(begin, end) && begin.Select((p, i) => p <= k[i] / 2).All(ok => ok);
        Tensor y;
        if (isMax)
        {
            long[] padding = begin;
            if (!native)
            {
                x = F.pad(x, Values.TorchPadList(begin, end), value: double.NegativeInfinity);
                padding = new long[k.Length];
            }
            y = k.Length == 2 ? F.max_pool2d(x, k, s, padding, d, ceilMode) : F.max_pool3d(x, k, s, padding, d, ceilMode);
        }
        else if (native)
        {
            y = Average(x, k, s, begin, countIncludePad);
        }
        else
        {
            var padList = Values.TorchPadList(begin, end);
            var padded = F.pad(x, padList);
            var noPadding = new long[k.Length];
            y = Average(padded, k, s, noPadding, true);
            if (!countIncludePad)
            {
                // Divide by the share of real pixels in each window instead of the full window.
                var ones = torch.ones([1, 1, .. x.shape[2..]], x.dtype);
                var share = Average(F.pad(ones, padList), k, s, noPadding, true);
                y = y.div(share);
            }
        }
        return oneD ? y.squeeze(-1) : y;
    }

    private Tensor Average(Tensor x, long[] k, long[] s, long[] padding, bool includePad) =>
        k.Length == 2
            ? F.avg_pool2d(x, k, s, padding, ceilMode, includePad)
            : F.avg_pool3d(x, k, s, padding, ceilMode, includePad);
}

/// <summary>Factories for pooling.</summary>
internal static class PoolingOperators
{
    public static void Register(OperatorRegistry r)
    {
        r.Add("MaxPool", n => new PoolOperator(n, isMax: true));
        r.Add("AveragePool", n => new PoolOperator(n, isMax: false));
        r.Add("GlobalAveragePool", _ => new UnaryOperator(x => x.mean(SpatialAxes(x), keepdim: true)));
        r.Add("GlobalMaxPool", _ => new UnaryOperator(x => x.amax(SpatialAxes(x), keepdim: true)));
    }

    private static long[] SpatialAxes(Tensor x)
    {
        var axes = new long[x.dim() - 2];
        for (int i = 0; i < axes.Length; i++) axes[i] = i + 2;
        return axes;
    }
}
