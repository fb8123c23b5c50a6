using Microsoft.Extensions.Configuration;

namespace ExperimentKit.Hosting;

/// <summary>
/// The worker's view of the command line: <c>--dry-run</c>, and <c>Member=v1,v2</c> sweep assignments.
/// Arguments that configure the host (<c>--key value</c>, <c>ExperimentKit:Root=...</c>) are left alone; an
/// assignment that names no member of any registered experiment is an error, not ignored.
/// </summary>
internal sealed class WorkerArguments
{
    public WorkerArguments(string[] args, IConfiguration configuration)
    {
        Configuration = configuration;
        var assignments = new List<string>();
        foreach (var arg in args)
        {
            if (arg is "--dry-run" or "--dryrun" or "-n")
            {
                DryRun = true;
            }
            else if (!arg.StartsWith('-') && arg.IndexOf('=') > 0 && !arg[..arg.IndexOf('=')].Contains(':'))
            {
                assignments.Add(arg);
            }
        }

        Assignments = assignments;
    }

    public bool DryRun { get; }

    public IReadOnlyList<string> Assignments { get; }

    public IConfiguration Configuration { get; }

    /// <summary>The assignments whose first path segment names a member of <paramref name="descriptor"/>.</summary>
    public List<string> AssignmentsFor(ParametersDescriptor descriptor)
        => Assignments.Where(a => Names(descriptor, a)).ToList();

    /// <summary>
    /// Checks that every assignment names a member of some registered experiment: a misspelt member must stop
    /// the start, not be dropped (the sweep would then run without it).
    /// </summary>
    /// <exception cref="SweepArgumentException">An assignment names no member of any experiment; the message suggests the nearest one.</exception>
    public void ThrowIfUnclaimed(IReadOnlyList<ParametersDescriptor> descriptors)
    {
        foreach (var assignment in Assignments)
        {
            if (descriptors.Any(d => Names(d, assignment)))
            {
                continue;
            }

            // The override parser explains the unknown path against each experiment; keep an explanation with a suggestion.
            SweepArgumentException? explained = null;
            foreach (var descriptor in descriptors)
            {
                try
                {
                    SweepOverrides.Parse(descriptor, [assignment]);
                }
                catch (SweepArgumentException error) when (explained is null || (!explained.Message.Contains("Did you mean", StringComparison.Ordinal) && error.Message.Contains("Did you mean", StringComparison.Ordinal)))
                {
                    explained = error;
                }
            }

            var path = assignment[..assignment.IndexOf('=')].Trim();
            throw new SweepArgumentException(
                (explained?.Message ?? $"'{assignment}' names no member of {string.Join(" or ", descriptors.Select(static d => d.ExperimentName))}.")
                + $" Arguments of the form Name=values are sweep axes; pass host settings as --{path}=value.",
                path,
                explained);
        }
    }

    /// <summary>The flattened pairs under <c>ExperimentKit:Sweeps:{experiment}</c>.</summary>
    public List<KeyValuePair<string, string?>> ConfiguredSweep(string experiment)
        => Configuration.GetSection($"{ExperimentKitOptions.SectionName}:Sweeps:{experiment}")
            .AsEnumerable(makePathsRelative: true)
            .Where(static pair => pair.Value is not null)
            .ToList();

    private static bool Names(ParametersDescriptor descriptor, string assignment)
        => descriptor.FindMember(assignment[..assignment.IndexOf('=')].Split('.')[0].Trim()) is not null;
}
