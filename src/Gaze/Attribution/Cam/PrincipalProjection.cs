using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Projection of per-position channel vectors onto their first principal component, used by Eigen-CAM and by
/// eigen smoothing. The SVD's sign is arbitrary, so each map is flipped to make its largest magnitude positive.
/// </summary>
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
        var (_, _, vh) = linalg.svd(positions, fullMatrices: false);
        Tensor firstComponent = vh.select(1, 0).unsqueeze(-1);              // [N,K,1]
        Tensor projection = positions.bmm(firstComponent).squeeze(-1);      // [N,HW]
        // Sign fix: the entry of largest magnitude becomes positive.
        Tensor largest = projection.gather(1, projection.abs().argmax(1, keepdim: true));
        Tensor sign = where(largest.lt(0), -ones_like(largest), ones_like(largest));
        return (projection * sign).reshape(n, h, w).MoveToOuterDisposeScope();
    }
}
