namespace Catty.Bench;

internal static class Stats
{
    /// <summary>The nearest-rank percentile, rounded to 0.1; NaN when there are no values.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, int p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)], 1);
    }

    /// <summary><paramref name="ours"/> / <paramref name="theirs"/>, rounded to 0.01.</summary>
    public static double Ratio(double ours, double theirs) => Math.Round(ours / theirs, 2);

    /// <summary>The 1-minute load average: how busy the machine was while measuring.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
