using Gaze.Imaging;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// Histograms of oriented gradients (Dalal and Triggs, "Histograms of Oriented Gradients for Human Detection", CVPR
/// 2005) of a map, computed as scikit-image's <c>feature.hog</c> (which Adebayo et al. used) does with 9 orientations,
/// 8x8-pixel cells, 2x2-cell blocks and L2-Hys block normalisation: central-difference gradients (0 on the border),
/// unsigned orientations in [0°, 180°) binned without interpolation, each cell's histogram the mean magnitude per bin.
/// </summary>
public static class HogDescriptor
{
    /// <summary>Orientation bins over 0° to 180°.</summary>
    public const int Orientations = 9;

    /// <summary>Cell side in pixels.</summary>
    public const int CellSize = 8;

    /// <summary>Block side in cells.</summary>
    public const int BlockSize = 2;

    private const double Epsilon = 1e-5;
    private const double Clip = 0.2;

    /// <summary>
    /// The concatenated normalised block histograms of <paramref name="map"/>: (cells down - 1) x (cells across - 1)
    /// blocks of 2 x 2 x 9 values; empty when the map holds fewer than 2x2 cells.
    /// </summary>
    public static double[] Features(Heatmap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int w = map.Width, h = map.Height;
        int cellsDown = h / CellSize, cellsAcross = w / CellSize;
        var histograms = new double[cellsDown, cellsAcross, Orientations];
        for (int y = 0; y < cellsDown * CellSize; y++)
        {
            for (int x = 0; x < cellsAcross * CellSize; x++)
            {
                double dy = y > 0 && y < h - 1 ? map.Values[(y + 1) * w + x] - map.Values[(y - 1) * w + x] : 0;
                double dx = x > 0 && x < w - 1 ? map.Values[y * w + x + 1] - map.Values[y * w + x - 1] : 0;
                double magnitude = Math.Sqrt(dx * dx + dy * dy);
                if (magnitude == 0) continue;
                double degrees = Math.Atan2(dy, dx) * 180 / Math.PI;
                degrees = ((degrees % 180) + 180) % 180;
                int bin = Math.Min(Orientations - 1, (int)(degrees / (180.0 / Orientations)));
                histograms[y / CellSize, x / CellSize, bin] += magnitude / (CellSize * CellSize);
            }
        }
        int blocksDown = cellsDown - BlockSize + 1, blocksAcross = cellsAcross - BlockSize + 1;
        if (blocksDown <= 0 || blocksAcross <= 0) return [];
        int blockLength = BlockSize * BlockSize * Orientations;
        var features = new double[blocksDown * blocksAcross * blockLength];
        var block = new double[blockLength];
        for (int by = 0; by < blocksDown; by++)
        {
            for (int bx = 0; bx < blocksAcross; bx++)
            {
                int k = 0;
                for (int cy = 0; cy < BlockSize; cy++)
                    for (int cx = 0; cx < BlockSize; cx++)
                        for (int o = 0; o < Orientations; o++)
                            block[k++] = histograms[by + cy, bx + cx, o];
                NormaliseL2Hys(block);
                block.CopyTo(features, (by * blocksAcross + bx) * blockLength);
            }
        }
        return features;
    }

    /// <summary>L2 normalisation, values clipped at 0.2, then L2 normalisation again (Lowe's SIFT scheme, Dalal and Triggs' best).</summary>
    private static void NormaliseL2Hys(double[] block)
    {
        Scale(block);
        for (int i = 0; i < block.Length; i++) block[i] = Math.Min(block[i], Clip);
        Scale(block);
    }

    private static void Scale(double[] block)
    {
        double norm = Math.Sqrt(block.Sum(v => v * v) + Epsilon * Epsilon);
        for (int i = 0; i < block.Length; i++) block[i] /= norm;
    }
}
