using System.Text.Json;

namespace ExperimentKit.Cli;

/// <summary>
/// The settings the tool shares with the workers, looked up as .NET configuration does for the few keys it
/// reads: an environment variable (<c>ExperimentKit__Backend</c> for <c>ExperimentKit:Backend</c>) over
/// <c>./appsettings.json</c> (keys compared ignoring case).
/// </summary>
internal sealed class CliSettings
{
    private readonly CliConsole _console;
    private JsonDocument? _json;
    private bool _loaded;

    public CliSettings(CliConsole console) => _console = console;

    /// <summary>The value of <paramref name="key"/> (<c>Section:Name</c>) from the environment, else <c>./appsettings.json</c>; null when neither has a non-empty string.</summary>
    public string? Get(string key)
        => _console.GetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal)) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : FromJson(key);

    /// <summary>The value of <paramref name="key"/> in <c>./appsettings.json</c> alone.</summary>
    public string? FromJson(string key)
    {
        var element = Load()?.RootElement;
        foreach (var part in key.Split(':'))
        {
            if (element is not { ValueKind: JsonValueKind.Object } current)
            {
                return null;
            }

            element = null;
            foreach (var property in current.EnumerateObject())
            {
                if (property.Name.Equals(part, StringComparison.OrdinalIgnoreCase))
                {
                    element = property.Value;
                }
            }
        }

        return element is { ValueKind: JsonValueKind.String } value && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;
    }

    private JsonDocument? Load()
    {
        if (_loaded)
        {
            return _json;
        }

        _loaded = true;
        var settings = Path.Combine(_console.CurrentDirectory, "appsettings.json");
        if (!File.Exists(settings))
        {
            return null;
        }

        try
        {
            _json = JsonDocument.Parse(File.ReadAllText(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return _json;
        }
        catch (JsonException e)
        {
            throw CliException.Bad($"./appsettings.json is not valid JSON ({e.Message}); fix it, or pass --root (and --ledger).");
        }
    }
}
