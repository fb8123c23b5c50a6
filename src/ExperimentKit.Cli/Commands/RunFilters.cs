using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary>The run filters of runs, export and report: experiment, status, where, tag.</summary>
internal sealed class RunFilters
{
    public Option<string?> Experiment { get; } = CliOptions.Experiment();

    public Option<string[]> Status { get; } = new("--status", "-s")
    {
        Description = "Only runs in these states: pending, running, completed, failed, interrupted (repeat or comma-separate).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> Where { get; } = new("--where", "-w")
    {
        Description = "Only runs whose parameter has this value: Model.Layers=4, Dataset=mnist (repeatable; numbers compare as numbers).",
    };

    public Option<string?> Tag { get; } = new("--tag") { Description = "Only runs with this tag." };

    public void AddTo(Command command)
    {
        command.Options.Add(Experiment);
        command.Options.Add(Status);
        command.Options.Add(Where);
        command.Options.Add(Tag);
    }

    public RunQuery Query(ParseResult parse) => new()
    {
        Experiment = parse.GetValue(Experiment),
        Statuses = ParseStatuses(parse.GetValue(Status)),
        Where = ParseWhere(parse.GetValue(Where)),
        Tag = parse.GetValue(Tag),
        OrderBy = RunOrder.Created,
    };

    public static IReadOnlyCollection<RunStatus>? ParseStatuses(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var statuses = new HashSet<RunStatus>();
        foreach (var value in values.SelectMany(static v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<RunStatus>(value, ignoreCase: true, out var status) || !Enum.IsDefined(status) || value.All(char.IsAsciiDigit))
            {
                throw CliException.Bad($"--status '{value}' is not a run state; use one of: {string.Join(", ", Enum.GetNames<RunStatus>().Select(static n => n.ToLowerInvariant()))}.");
            }

            statuses.Add(status);
        }

        return statuses;
    }

    public static IReadOnlyDictionary<string, string>? ParseWhere(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            var path = eq > 0 ? value[..eq].Trim() : string.Empty;
            if (path.Length == 0 || path.Split('.').Any(static s => s.Length == 0))
            {
                throw CliException.Bad($"--where '{value}' is not Path=value; write e.g. --where Model.Layers=4 or --where Dataset=mnist.");
            }

            where[path] = FlatParams.ParseValue(value[(eq + 1)..]);
        }

        return where;
    }
}
