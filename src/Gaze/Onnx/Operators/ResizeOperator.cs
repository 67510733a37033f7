using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// Resize (opset 10+) and Upsample (opset 7-9) in nearest and linear modes, one axis at a time: each output
/// coordinate maps back to the input by the coordinate transformation mode, then picks the nearest pixel
/// (index_select) or blends the two neighbours. Computed in float32 like ONNX Runtime, so rounding ties agree.
/// </summary>
internal sealed class ResizeOperator : SingleOutputOperator
{
    private enum Coordinates { HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric, TfHalfPixelForNearest }

    private enum Rounding { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Simple }

    private readonly bool linear;
    private readonly Coordinates coordinates;
    private readonly Rounding rounding;
    private readonly float[]? scalesAttribute;
    private readonly int scalesInput = -1, sizesInput = -1;

    public ResizeOperator(NodeContext node, bool upsample)
    {
        string mode = node.String("mode", "nearest");
        linear = mode switch
        {
            "nearest" => false,
            "linear" or "bilinear" => true,
            _ => throw new NotSupportedException($"mode '{mode}'"),
        };
        if (upsample || node.Opset < 11)
        {
            // Upsample and Resize-10: output = input * scale, coordinates x_out / scale, nearest by truncation.
            coordinates = Coordinates.Asymmetric;
            rounding = Rounding.Simple;
            if (upsample && node.Opset < 9) scalesAttribute = node.Floats("scales") ?? throw new NotSupportedException("Upsample without scales");
            else scalesInput = 1;
            return;
        }

        scalesInput = 2;
        sizesInput = 3;
        coordinates = node.String("coordinate_transformation_mode", "half_pixel") switch
        {
            "half_pixel" => Coordinates.HalfPixel,
            "pytorch_half_pixel" => Coordinates.PytorchHalfPixel,
            "align_corners" => Coordinates.AlignCorners,
            "asymmetric" => Coordinates.Asymmetric,
            "tf_half_pixel_for_nn" => Coordinates.TfHalfPixelForNearest,
            var other => throw new NotSupportedException($"coordinate_transformation_mode '{other}'"),
        };
        rounding = node.String("nearest_mode", "round_prefer_floor") switch
        {
            "round_prefer_floor" => Rounding.RoundPreferFloor,
            "round_prefer_ceil" => Rounding.RoundPreferCeil,
            "floor" => Rounding.Floor,
            "ceil" => Rounding.Ceil,
            var other => throw new NotSupportedException($"nearest_mode '{other}'"),
        };
        if (node.Int("antialias", 0) != 0) throw new NotSupportedException("antialias=1");
        if (node.Has("axes")) throw new NotSupportedException("the axes attribute");
        if (node.String("keep_aspect_ratio_policy", "stretch") != "stretch") throw new NotSupportedException("keep_aspect_ratio_policy");
    }

    protected override Tensor Compute(in OperatorIO io)
    {
        var x = io.Input(0);
        long[] inShape = x.shape;
        int rank = inShape.Length;
        var outShape = new long[rank];
        var scales = new float[rank];

        long[]? sizes = sizesInput >= 0 && io.OptionalInput(sizesInput) is { } st && st.numel() > 0 ? Values.Longs(st) : null;
        if (sizes is not null)
        {
            for (int i = 0; i < rank; i++)
            {
                outShape[i] = sizes[i];
                scales[i] = (float)sizes[i] / inShape[i];
            }
        }
        else
        {
            float[] s = scalesAttribute ?? ReadScales(io.Input(scalesInput));
            for (int i = 0; i < rank; i++)
            {
                scales[i] = s[i];
                outShape[i] = (long)(inShape[i] * s[i]);
            }
        }

        for (int axis = 0; axis < rank; axis++)
        {
            if (outShape[axis] == inShape[axis] && scales[axis] == 1f) continue;
            x = linear
                ? LinearAxis(x, axis, inShape[axis], outShape[axis], scales[axis])
                : NearestAxis(x, axis, inShape[axis], outShape[axis], scales[axis]);
        }
        return x.alias();
    }

    private static float[] ReadScales(Tensor t)
    {
        using var f = t.to(ScalarType.Float32);
        return f.data<float>().ToArray();
    }

    private float Original(long j, float scale, long length, long outLength) => coordinates switch
    {
        Coordinates.HalfPixel => (j + 0.5f) / scale - 0.5f,
        Coordinates.PytorchHalfPixel => outLength > 1 ? (j + 0.5f) / scale - 0.5f : 0f,
        Coordinates.AlignCorners => outLength == 1 ? 0f : j * (float)(length - 1) / (outLength - 1),
        Coordinates.TfHalfPixelForNearest => (j + 0.5f) / scale,
        _ => j / scale,
    };

    private Tensor NearestAxis(Tensor x, int axis, long length, long outLength, float scale)
    {
        var index = new long[outLength];
        for (long j = 0; j < outLength; j++)
        {
            float o = Original(j, scale, length, outLength);
            long i = rounding switch
            {
                Rounding.RoundPreferFloor => o == (long)o + 0.5f ? (long)o : (long)MathF.Round(o, MidpointRounding.AwayFromZero),
                Rounding.RoundPreferCeil => (long)MathF.Round(o, MidpointRounding.AwayFromZero),
                Rounding.Floor => (long)MathF.Floor(o),
                Rounding.Ceil => (long)MathF.Ceiling(o),
                _ => scale < 1 ? (long)MathF.Ceiling(o) : (long)o,
            };
            index[j] = Math.Clamp(i, 0, length - 1);
        }
        return x.index_select(axis, torch.tensor(index));
    }

    private Tensor LinearAxis(Tensor x, int axis, long length, long outLength, float scale)
    {
        var low = new long[outLength];
        var high = new long[outLength];
        var weight = new float[outLength];
        for (long j = 0; j < outLength; j++)
        {
            float o = Math.Clamp(Original(j, scale, length, outLength), 0f, length - 1);
            long lo = Math.Min((long)o, length - 1);
            long hi = Math.Min(lo + 1, length - 1);
            low[j] = lo;
            high[j] = hi;
            weight[j] = lo == hi ? 0f : o - lo;
        }
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[axis] = outLength;
        var w = torch.tensor(weight).to(x.dtype).reshape(shape);
        var a = x.index_select(axis, torch.tensor(low));
        var b = x.index_select(axis, torch.tensor(high));
        return a.add(b.sub(a).mul(w));
    }

    /// <summary>Registers Resize and Upsample.</summary>
    public static void Register(OperatorRegistry r)
    {
        r.Add("Resize", n => new ResizeOperator(n, upsample: false));
        r.Add("Upsample", n => new ResizeOperator(n, upsample: true));
    }
}
