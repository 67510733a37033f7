using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// The experimental image operators of early opsets (removed from ONNX later) still found in old models, such as
/// the fast style transfer models: ImageScaler, Crop and Affine.
/// </summary>
internal static class LegacyImageOperators
{
    public static void Register(OperatorRegistry r)
    {
        // ImageScaler: y = scale * x + bias[c].
        r.Add("ImageScaler", n =>
        {
            double scale = n.Float("scale", 1f);
            float[] bias = n.Floats("bias") ?? [];
            var biasTensor = n.Keep(torch.tensor(bias).reshape(1, -1, 1, 1));
            return new UnaryOperator(x => bias.Length == 0 ? x.mul(scale) : x.mul(scale).add(biasTensor));
        });
        // Affine: y = alpha * x + beta.
        r.Add("Affine", n =>
        {
            double alpha = n.Float("alpha", 1f), beta = n.Float("beta", 0f);
            return new UnaryOperator(x => x.mul(alpha).add(beta));
        });
        // Crop an NCHW image: border = [left, top, right, bottom]; scale = [height, width] fixes the size instead.
        r.Add("Crop", n =>
        {
            long[] border = n.Ints("border") ?? throw new NotSupportedException("Crop without border");
            if (border.Length != 4) throw new NotSupportedException("Crop border without 4 values");
            long[]? scale = n.Ints("scale");
            return new UnaryOperator(x =>
            {
                long left = border[0], top = border[1];
                long height = scale is { Length: 2 } ? scale[0] : x.shape[2] - top - border[3];
                long width = scale is { Length: 2 } ? scale[1] : x.shape[3] - left - border[2];
                return x.narrow(2, top, height).narrow(3, left, width);
            });
        });
    }
}
