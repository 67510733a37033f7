namespace Gaze.Synthesis;

/// <summary>When an optimisation of <paramref name="Total"/> steps keeps a copy of its image for the contact sheet: evenly, at most <see cref="Count"/> times.</summary>
/// <param name="Total">The steps of the whole run.</param>
internal readonly record struct SnapshotSchedule(int Total)
{
    /// <summary>The most snapshots a run keeps.</summary>
    public const int Count = 8;

    /// <summary>Whether to keep the image after step <paramref name="done"/> (1-based) with <paramref name="taken"/> kept so far.</summary>
    public bool Due(int done, int taken) => done % Math.Max(1, Total / Count) == 0 && taken < Count;
}
