using Gaze.Errors;
using Gaze.IO;

namespace Gaze.Imaging;

/// <summary>Heatmaps stored as NumPy <c>.npy</c> arrays, as Gaze and most CAM code write them.</summary>
public static class HeatmapFile
{
    /// <summary>
    /// Reads a 2-D float heatmap ([H,W], or the [1,H,W] and [1,1,H,W] shapes CAM code often saves) with values
    /// brought into [0,1]: min-max scaled with <paramref name="normalize"/>, else clipped; NaN becomes 0.
    /// </summary>
    /// <exception cref="DataFormatException">Not a readable .npy file, or not 2-D after leading ones.</exception>
    public static Heatmap Read(string path, bool normalize)
    {
        NpyArray array = NpyFile.Read(path);
        int[] spatial = array.Shape.SkipWhile(d => d == 1).ToArray();
        if (array.Rank < 2 || spatial.Length > 2 || array.Data.Length == 0)
            throw new DataFormatException(path, $"expected a 2-D heatmap, got shape ({string.Join(", ", array.Shape)})");
        int height = array.Shape[^2], width = array.Shape[^1];
        var heat = new Heatmap(width, height, (float[])array.Data.Clone());
        if (normalize) heat.Normalize();
        for (int i = 0; i < heat.Values.Length; i++) heat.Values[i] = float.IsNaN(heat.Values[i]) ? 0 : Math.Clamp(heat.Values[i], 0f, 1f);
        return heat;
    }
}
