using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Projection of per-position channel vectors onto their first principal component, used by Eigen-CAM and by
/// eigen smoothing. The component's sign is arbitrary, so each map is flipped to make its largest magnitude positive.
/// </summary>
/// <remarks>
/// The projection P v1 (P: centred positions x channels, v1: first right singular vector) equals σ1 u1, which the
/// top eigenvector of the smaller of P Pᵀ and Pᵀ P gives without a full SVD: a symmetric eigenproblem of
/// min(positions, channels) rows, several times faster than the SVD for a 13x13x512 layer.
/// </remarks>
public static class PrincipalProjection
{
    /// <summary>Projects <paramref name="values"/> [N,K,H,W] to maps [N,H,W].</summary>
    public static Tensor Of(Tensor values)
    {
        using var scope = NewDisposeScope();
        long n = values.shape[0], k = values.shape[1], h = values.shape[2], w = values.shape[3];
        // Rows are positions, columns channels: centre each channel over positions.
        Tensor positions = nan_to_num(values.reshape(n, k, h * w).transpose(1, 2));
        positions = positions - positions.mean([1], keepdim: true);
        Tensor projection;
        if (h * w <= k)
        {
            // P Pᵀ u1 = σ1² u1 (eigenvalues ascending: the last is the largest).
            var (values1, vectors) = linalg.eigh(positions.bmm(positions.transpose(1, 2)));
            Tensor sigma = values1.select(1, h * w - 1).clamp_min(0).sqrt().unsqueeze(1);   // [N,1]
            projection = vectors.select(2, h * w - 1) * sigma;                                // [N,HW]
        }
        else
        {
            var (_, vectors) = linalg.eigh(positions.transpose(1, 2).bmm(positions));
            Tensor firstComponent = vectors.select(2, k - 1).unsqueeze(-1);                   // [N,K,1]
            projection = positions.bmm(firstComponent).squeeze(-1);                           // [N,HW]
        }
        // Sign fix: the entry of largest magnitude becomes positive.
        Tensor largest = projection.gather(1, projection.abs().argmax(1, keepdim: true));
        Tensor sign = where(largest.lt(0), -ones_like(largest), ones_like(largest));
        return (projection * sign).reshape(n, h, w).MoveToOuterDisposeScope();
    }
}
