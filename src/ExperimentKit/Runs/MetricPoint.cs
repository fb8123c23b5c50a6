namespace ExperimentKit;

/// <summary>One line of <c>metrics.jsonl</c>: the metrics logged at one step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Time">When the line was written (UTC, millisecond precision).</param>
/// <param name="Values">The metrics of the line by name; non-finite values come back as
/// <see cref="double.NaN"/>, <see cref="double.PositiveInfinity"/> and <see cref="double.NegativeInfinity"/>.</param>
public sealed record MetricPoint(long Step, DateTimeOffset Time, IReadOnlyDictionary<string, double> Values);
