using System.CommandLine;
using System.Text.Json;

namespace ExperimentKit.Cli;

/// <summary>What a running command needs: the console, colours and where the results are.</summary>
internal sealed class CliContext(CliConsole console, CliOptions options, ParseResult parse)
{
    public CliConsole Console { get; } = console;

    public ParseResult Parse { get; } = parse;

    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public Ansi Ansi { get; } = new(console.OutIsTerminal && !console.NoColor && !parse.GetValue(options.NoColor));

    /// <summary>
    /// The results root: the positional ROOT, else <c>--root</c>, else <c>ExperimentKit:Root</c> of
    /// <c>./appsettings.json</c>, else <c>./results</c>.
    /// </summary>
    public string Root(Argument<string?>? positional = null)
    {
        var given = (positional is null ? null : Parse.GetValue(positional)) ?? Parse.GetValue(options.Root);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Path.GetFullPath(given, Console.CurrentDirectory);
        }

        var settings = Path.Combine(Console.CurrentDirectory, "appsettings.json");
        if (File.Exists(settings))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("ExperimentKit", out var section)
                    && section.ValueKind == JsonValueKind.Object
                    && section.TryGetProperty("Root", out var root)
                    && root.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(root.GetString()))
                {
                    return Path.GetFullPath(root.GetString()!, Console.CurrentDirectory);
                }
            }
            catch (JsonException e)
            {
                throw CliException.Bad($"./appsettings.json is not valid JSON ({e.Message}); fix it, or pass --root.");
            }
        }

        return Path.GetFullPath("results", Console.CurrentDirectory);
    }

    /// <summary>The ledger given with <c>--ledger</c>, or null for the root's own.</summary>
    public string? LedgerArgument => Parse.GetValue(options.Ledger);

    /// <summary>Opens the ledger of <paramref name="root"/> (or the one given with <c>--ledger</c>); see <see cref="LedgerAccess"/>.</summary>
    public Task<IRunLedger> OpenLedgerAsync(string root, bool create = false, CancellationToken ct = default)
        => LedgerAccess.OpenAsync(root, LedgerArgument, Console.CurrentDirectory, create, ct);
}
