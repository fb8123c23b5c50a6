namespace QuickStart;

/// <summary>
/// Points drawn around a hidden weight vector, labelled by a noisy logistic model. A small xorshift generator
/// keeps the data identical on every machine and .NET version (System.Random makes no such promise).
/// </summary>
public sealed class SyntheticData
{
    private SyntheticData(double[][] x, int[] y)
    {
        X = x;
        Y = y;
    }

    public double[][] X { get; }

    public int[] Y { get; }

    public static SyntheticData Draw(DataSpec spec)
    {
        var state = (ulong)spec.Seed * 0x9E3779B97F4A7C15UL + 1;
        double Next()
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (state >> 11) * (1.0 / (1UL << 53));
        }

        double Normal() => Math.Sqrt(-2 * Math.Log(1 - Next())) * Math.Cos(2 * Math.PI * Next());

        var truth = Enumerable.Range(0, spec.Features).Select(_ => 2 * Normal()).ToArray();
        var x = new double[spec.Points][];
        var y = new int[spec.Points];
        for (var i = 0; i < spec.Points; i++)
        {
            x[i] = Enumerable.Range(0, spec.Features).Select(_ => Normal()).ToArray();
            var margin = x[i].Zip(truth, static (a, b) => a * b).Sum();
            y[i] = Next() < 1 / (1 + Math.Exp(-margin)) ? 1 : 0;
        }

        return new SyntheticData(x, y);
    }
}
