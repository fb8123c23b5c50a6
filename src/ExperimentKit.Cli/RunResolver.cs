using System.Globalization;

namespace ExperimentKit.Cli;

/// <summary>
/// Finds the run a user means: <c>experiment:uid</c>, a uid (with <c>--experiment</c>, or when only one
/// experiment has it), a hash or hash prefix (4+ hex digits), or a folder name <c>0007-1a2b...</c>.
/// </summary>
internal static class RunResolver
{
    public static async Task<RunRow> ResolveAsync(IRunLedger ledger, string reference, string? experiment, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var text = reference.Trim().TrimEnd('/');
        var colon = text.LastIndexOf(':');
        if (colon > 0)
        {
            experiment = text[..colon];
            text = text[(colon + 1)..];
        }

        // A folder name or path: .../0007-1a2b3c4d5e6f7a8b
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            experiment ??= text[..slash];
            text = text[(slash + 1)..];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && IsDigits(text[..dash]))
        {
            text = text[(dash + 1)..];
        }

        var rows = await ledger.ListAsync(new RunQuery { Experiment = experiment, OrderBy = RunOrder.Uid }, ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw CliException.NotFound(experiment is null
                ? "The ledger has no runs."
                : $"Experiment '{experiment}' has no runs. 'expkit runs' lists the runs and their experiments.");
        }

        List<RunRow> matches = [];
        if (IsDigits(text) && text.Length <= 9 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            matches = rows.Where(r => r.Uid == uid).ToList();
        }

        var hex = text.ToLowerInvariant();
        if (matches.Count == 0 && hex.Length >= 4 && hex.All(char.IsAsciiHexDigit))
        {
            matches = rows.Where(r => r.Key.Hash.StartsWith(hex, StringComparison.Ordinal)).ToList();
        }
        else if (matches.Count == 0 && !IsDigits(text))
        {
            throw CliException.Bad($"'{reference}' is not a run reference. Use experiment:uid (quickstart/logreg:0007), a uid with --experiment, or a hash (prefix of 4+ hex digits).");
        }

        return matches.Count switch
        {
            0 => throw CliException.NotFound($"No run '{reference}'{(experiment is null ? string.Empty : $" in experiment '{experiment}'")}. 'expkit runs' lists the runs."),
            1 => matches[0],
            _ => throw CliException.Bad(
                $"'{reference}' is ambiguous: it matches {string.Join(", ", matches.Take(10).Select(m => $"{Format.RunName(m)} ({m.Key.Hash}, v{m.Key.Version})"))}"
                + $"{(matches.Count > 10 ? $" and {matches.Count - 10} more" : string.Empty)}. Name one as experiment:uid, or give more hash digits."),
        };
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
