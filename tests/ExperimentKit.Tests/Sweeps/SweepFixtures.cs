namespace ExperimentKit.Tests.Sweeps;

internal static class SweepFixtures
{
    /// <summary>A grid of (int, string) over [0, 1] × ["a", "b", "c"], built by hand.</summary>
    public static Sweep<(int, string)> SmallGrid()
    {
        int[] xs = [0, 1];
        string[] ys = ["a", "b", "c"];
        return Sweep<(int, string)>.Grid([xs.Length, ys.Length], idx => (xs[idx[0]], ys[idx[1]]));
    }

    /// <summary>A grid whose point is its own index on each axis.</summary>
    public static Sweep<int[]> IndexGrid(params int[] sizes) => Sweep<int[]>.Grid(sizes, idx => idx.ToArray());

    /// <summary>1000 × 1000 × 1000 = 10^9 points, each the triple of axis indices; allocation-free per point.</summary>
    public static Sweep<(int, int, int)> Billion()
        => Sweep<(int, int, int)>.Grid([1000, 1000, 1000], idx => (idx[0], idx[1], idx[2]));

    /// <summary>The index of a point of <see cref="Billion"/>.</summary>
    public static long IndexInBillion((int A, int B, int C) p) => (p.A * 1_000_000L) + (p.B * 1000L) + p.C;
}
