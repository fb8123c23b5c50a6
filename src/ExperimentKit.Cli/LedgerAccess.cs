using ExperimentKit.Postgres;
using Npgsql;

namespace ExperimentKit.Cli;

/// <summary>Which ledger a command uses: a SQLite file, or a PostgreSQL database (and schema).</summary>
internal sealed class LedgerTarget
{
    /// <summary>The SQLite ledger file, or null for a PostgreSQL ledger.</summary>
    public string? SqlitePath { get; init; }

    /// <summary>The PostgreSQL ledger's options, or null for a SQLite ledger.</summary>
    public PostgresLedgerOptions? Postgres { get; init; }

    /// <summary>What to call the ledger in messages: the file, or <c>PostgreSQL ledger host:port/database (schema s)</c>; never a password.</summary>
    public required string Display { get; init; }

    public bool IsPostgres => Postgres is not null;
}

/// <summary>
/// The one place the tool opens a ledger. The ledger is, first match wins:
/// <list type="number">
/// <item><c>--ledger</c>: a PostgreSQL connection string (<c>Host=...;Database=...</c>, or a <c>postgres://</c> /
/// <c>postgresql://</c> URI), else a SQLite file;</item>
/// <item><c>ExperimentKit:Backend=Postgres</c> (environment <c>ExperimentKit__Backend</c>, else <c>./appsettings.json</c>,
/// as the workers read it): the connection string <c>ExperimentKit:Postgres:ConnectionString</c>, else
/// <c>ConnectionStrings:ExperimentKit</c>;</item>
/// <item>the SQLite file <c>{root}/ledger.db</c>.</item>
/// </list>
/// The schema is <c>--schema</c>, else <c>ExperimentKit:Postgres:Schema</c>. Every command that only needs
/// <see cref="IRunLedger"/> works with either backend unchanged.
/// </summary>
internal static class LedgerAccess
{
    public const string FileName = "ledger.db";

    /// <summary>How long one PostgreSQL call retries a transient error, unless <c>ExperimentKit:Postgres:RetryFor</c> says otherwise: an interactive tool gives up soon.</summary>
    private static readonly TimeSpan DefaultRetryFor = TimeSpan.FromSeconds(10);

    /// <summary>The SQLite ledger file of a root, or the <c>--ledger</c> file.</summary>
    public static string SqlitePath(string root, string? ledger, string currentDirectory)
        => ledger is null ? Path.Combine(root, FileName) : Path.GetFullPath(ledger, currentDirectory);

    /// <summary>Whether <paramref name="value"/> is a PostgreSQL connection string rather than a file name.</summary>
    public static bool IsPostgres(string value)
        => PostgresUri.IsUri(value)
            || (value.Contains('=', StringComparison.Ordinal) && value.Split(';').Any(static part =>
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var key = equals > 0 ? part[..equals].Trim() : string.Empty;
                return key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase);
            }));

    /// <summary>Decides which ledger to use (see the class summary); bad settings are exit code 2.</summary>
    public static LedgerTarget Resolve(string root, string? ledger, string? schema, CliSettings settings, string currentDirectory)
    {
        string? connectionString = null;
        string source;
        if (!string.IsNullOrWhiteSpace(ledger))
        {
            if (!IsPostgres(ledger))
            {
                if (schema is not null)
                {
                    throw CliException.Bad("--schema is for a PostgreSQL ledger; --ledger names a SQLite file.");
                }

                var path = SqlitePath(root, ledger, currentDirectory);
                return new LedgerTarget { SqlitePath = path, Display = path };
            }

            connectionString = ledger.Trim();
            source = "--ledger";
        }
        else
        {
            var backend = settings.Get("ExperimentKit:Backend");
            if (backend is null || backend.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            {
                if (schema is not null)
                {
                    throw CliException.Bad("--schema is for a PostgreSQL ledger: pass its connection string with --ledger, or set ExperimentKit:Backend=Postgres.");
                }

                var path = SqlitePath(root, null, currentDirectory);
                return new LedgerTarget { SqlitePath = path, Display = path };
            }

            if (!backend.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
            {
                throw CliException.Bad($"ExperimentKit:Backend is '{backend}'; expkit knows Sqlite and Postgres.");
            }

            connectionString = settings.Get($"{PostgresLedgerOptions.SectionName}:ConnectionString") ?? settings.Get($"ConnectionStrings:{PostgresLedgerOptions.ConnectionStringName}");
            if (connectionString is null)
            {
                throw CliException.Bad(
                    $"ExperimentKit:Backend is Postgres but no connection string is set: set ConnectionStrings:{PostgresLedgerOptions.ConnectionStringName} in ./appsettings.json "
                    + $"(or the environment variable ConnectionStrings__{PostgresLedgerOptions.ConnectionStringName}), or pass --ledger \"Host=...;Database=...\".");
            }

            source = "the configured connection string";
        }

        schema ??= settings.Get($"{PostgresLedgerOptions.SectionName}:Schema");
        if (schema is not null && (schema.Length == 0 || schema.Length > 63 || char.IsAsciiDigit(schema[0]) || !schema.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            throw CliException.Bad($"The schema '{schema}' is not a plain schema name; use lower-case letters, digits and underscores (at most 63).");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = PostgresUri.IsUri(connectionString) ? PostgresUri.Parse(connectionString, source) : new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The driver names the bad keyword; a value it quotes could be the password, so the message goes out redacted.
            throw CliException.Bad($"{source} is not a valid PostgreSQL connection string: {Redact(e.Message, connectionString)} (Host=db;Port=5432;Database=experiments;Username=exk, or postgres://exk@db:5432/experiments).");
        }

        var retryFor = DefaultRetryFor;
        if (settings.Get($"{PostgresLedgerOptions.SectionName}:RetryFor") is { } retry
            && !TimeSpan.TryParse(retry, System.Globalization.CultureInfo.InvariantCulture, out retryFor))
        {
            throw CliException.Bad($"{PostgresLedgerOptions.SectionName}:RetryFor '{retry}' is not a time span (e.g. 00:00:30).");
        }

        var options = new PostgresLedgerOptions { ConnectionString = builder.ConnectionString, Schema = schema, RetryFor = retryFor };
        return new LedgerTarget { Postgres = options, Display = Describe(builder, schema) };
    }

    /// <summary>Opens the ledger; a missing ledger is an error (a browsing tool must not create one) unless <paramref name="create"/>.</summary>
    public static async Task<IRunLedger> OpenAsync(LedgerTarget target, bool create, CancellationToken ct)
    {
        if (target.Postgres is { } postgres)
        {
            if (!create)
            {
                await RequireExistingAsync(target, postgres, ct).ConfigureAwait(false);
            }

            try
            {
                return await PostgresRunLedger.OpenAsync(postgres, logger: null, ct).ConfigureAwait(false);
            }
            catch (LedgerOpenException e)
            {
                throw CliException.NotFound(Redact(e.Message, postgres.ConnectionString));
            }
        }

        var path = target.SqlitePath!;
        if (!create && (!File.Exists(path) || new FileInfo(path).Length == 0))
        {
            throw CliException.NotFound(
                $"No ledger at {path}. Pass the results folder with --root (or as ROOT), or run expkit from the folder that holds results/ or an appsettings.json with ExperimentKit:Root.");
        }

        try
        {
            return await SqliteRunLedger.OpenAsync(path, new ExperimentStoreOptions(), ct).ConfigureAwait(false);
        }
        catch (LedgerOpenException e)
        {
            throw CliException.NotFound(e.Message);
        }
    }

    /// <summary>A read never creates a ledger: the schema must already hold one (its <c>schema_version</c> table).</summary>
    private static async Task RequireExistingAsync(LedgerTarget target, PostgresLedgerOptions options, CancellationToken ct)
    {
        bool exists;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false };
            builder.ApplicationName ??= "expkit";
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
            command.Parameters.AddWithValue("name", options.Schema is null ? "schema_version" : $"\"{options.Schema}\".schema_version");
            exists = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or ArgumentException)
        {
            throw CliException.NotFound($"{target.Display} cannot be opened: {Redact(e.Message, options.ConnectionString)}");
        }

        if (!exists)
        {
            throw CliException.NotFound(
                $"No ledger in {target.Display}: it has no ExperimentKit tables. Check the database and --schema (or ExperimentKit:Postgres:Schema); "
                + "a worker with Backend=Postgres, or 'expkit submit', creates them.");
        }
    }

    /// <summary><c>PostgreSQL ledger host:port/database (schema s)</c>: enough to find the ledger, nothing secret.</summary>
    private static string Describe(NpgsqlConnectionStringBuilder builder, string? schema)
        => $"PostgreSQL ledger {builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}" + (schema is null ? string.Empty : $" (schema {schema})");

    /// <summary>Removes the password of <paramref name="connectionString"/> (either form) from a message.</summary>
    internal static string Redact(string message, string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return message;
        }

        message = message.Replace(connectionString, "(connection string)", StringComparison.Ordinal);
        string? password = null;
        try
        {
            password = PostgresUri.IsUri(connectionString) ? PostgresUri.PasswordOf(connectionString) : new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            // Not parseable: look for the keyword by hand below.
        }

        foreach (var part in connectionString.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? part[..equals].Trim() : string.Empty;
            if (key.Equals("Password", StringComparison.OrdinalIgnoreCase) || key.Equals("Pwd", StringComparison.OrdinalIgnoreCase))
            {
                var value = part[(equals + 1)..].Trim().Trim('\'', '"');
                message = value.Length > 0 ? message.Replace(value, "***", StringComparison.Ordinal) : message;
            }
        }

        return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
    }
}
