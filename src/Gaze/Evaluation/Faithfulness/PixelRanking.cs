using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// The pixels of a heatmap from most to least relevant: by value, highest first, ties in raster order (row by row,
/// left to right), so that a flat or quantised heatmap still gives one fixed order on every run.
/// </summary>
internal static class PixelRanking
{
    /// <summary>The raster indices (y · W + x) of the pixels of <paramref name="heatmap"/> [H,W], most relevant first.</summary>
    public static int[] Order(Tensor heatmap)
    {
        float[] values = heatmap.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        int[] order = Enumerable.Range(0, values.Length).ToArray();
        // NaN ranks last (float.CompareTo puts it below every number).
        Array.Sort(order, (a, b) =>
        {
            int byValue = values[b].CompareTo(values[a]);
            return byValue != 0 ? byValue : a.CompareTo(b);
        });
        return order;
    }

    /// <summary>The position of each pixel in <paramref name="order"/>, as an int64 tensor [H,W] on <paramref name="device"/>.</summary>
    public static Tensor Ranks(int[] order, int height, int width, Device device)
    {
        var ranks = new long[order.Length];
        for (int position = 0; position < order.Length; position++) ranks[order[position]] = position;
        return tensor(ranks, [height, width]).to(device);
    }
}
