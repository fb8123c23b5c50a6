using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace ExperimentKit.Postgres;

/// <summary>
/// The run ledger on PostgreSQL: workers on many machines share one database with the guarantees of the
/// SQLite ledger on one machine. PostgreSQL's transactions and row locks do the coordinating: a claim is one
/// call of the <c>exk_claim</c> function (row lock, uid counter row, takeover rules), leases and times are the
/// server's clock, and every write that ends or extends an attempt checks the owner token in the statement
/// that writes. Thread-safe: each call takes a pooled connection.
/// </summary>
/// <remarks>
/// Transient errors (a restarted server, a dropped connection) are retried with backoff for
/// <see cref="PostgresLedgerOptions.RetryFor"/>. A retried write that may already have been applied is
/// idempotent under the owner token: a claim finds the row already its own, a completion finds the row already
/// completed by its token.
/// </remarks>
public sealed partial class PostgresRunLedger : IRunLedger
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLedgerOptions _options;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private int _disposed;

    private PostgresRunLedger(NpgsqlDataSource dataSource, PostgresLedgerOptions options, string connectionString, string description, ILogger logger)
    {
        _dataSource = dataSource;
        _options = options;
        _connectionString = connectionString;
        Description = description;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>
    /// Opens the ledger: connects, creates the schema or migrates it forward (under an advisory lock, so workers
    /// starting together migrate once), and returns a ledger ready for many concurrent callers.
    /// </summary>
    /// <param name="options">The connection string and schema.</param>
    /// <param name="logger">Where retries of transient errors are logged (never with a password).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="LedgerOpenException">
    /// No connection string, an invalid one, a server that cannot be reached within <see cref="PostgresLedgerOptions.RetryFor"/>,
    /// or a schema from a newer ExperimentKit. The message never holds the password.
    /// </exception>
    public static async Task<PostgresRunLedger> OpenAsync(PostgresLedgerOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new LedgerOpenException(
                $"No PostgreSQL connection string: set ConnectionStrings:{PostgresLedgerOptions.ConnectionStringName} (or {PostgresLedgerOptions.SectionName}:ConnectionString), "
                + "for example Host=db.example;Database=experiments;Username=exk;Password=...");
        }

        if (options.Schema is { } schema && (schema.Length == 0 || schema.Length > 63 || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') || char.IsAsciiDigit(schema[0])))
        {
            throw new LedgerOpenException($"{PostgresLedgerOptions.SectionName}:Schema \"{schema}\" is not a plain schema name; use lower-case letters, digits and underscores (at most 63).");
        }

        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new LedgerOpenException("The PostgreSQL connection string is not valid: " + ConnectionStrings.Redact(e.Message, connectionString));
        }

        var settings = builder.ConnectionStringBuilder;
        if (options.Schema is not null)
        {
            settings.SearchPath = options.Schema;
        }

        // Session state never changes, so a pooled connection needs no reset; statements repeat, so let Npgsql prepare them.
        settings.NoResetOnClose = true;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 32;
        }

        settings.ApplicationName ??= "ExperimentKit";
        var description = ConnectionStrings.Describe(settings, options.Schema);
        var dataSource = builder.Build();
        var ledger = new PostgresRunLedger(dataSource, options, connectionString, description, logger ?? NullLogger.Instance);
        try
        {
            await ledger.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return ledger;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new LedgerOpenException($"{description} cannot be opened: {ConnectionStrings.Redact(e.Message, connectionString)}");
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task MigrateAsync(CancellationToken ct)
    {
        await WithRetryAsync("open", async (connection, _, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);

            // One advisory lock per schema: workers starting together wait here, and the first one migrates.
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@k)", token, ("k", MigrationLockKey(_options.Schema), NpgsqlDbType.Bigint)).ConfigureAwait(false);
            if (_options.Schema is { } schema)
            {
                // The name was checked to be plain lower-case identifier text: quoting makes it one identifier.
                await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", token).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, PostgresMigrations.VersionTable, token).ConfigureAwait(false);
            var current = Convert.ToInt32(await ScalarAsync(connection, "SELECT coalesce(max(version), 0) FROM schema_version", token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (current > PostgresMigrations.Latest)
            {
                throw new LedgerOpenException(
                    $"{Description} has schema version {current}, written by a newer ExperimentKit; this one knows version {PostgresMigrations.Latest}. Upgrade ExperimentKit to open it. Nothing was changed.");
            }

            foreach (var step in PostgresMigrations.All.Where(m => m.Version > current))
            {
                await ExecuteAsync(connection, step.Sql, token).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    "INSERT INTO schema_version (version, description, applied_by) VALUES (@v, @d, @b)",
                    token,
                    ("v", step.Version, NpgsqlDbType.Integer),
                    ("d", step.Description, NpgsqlDbType.Text),
                    ("b", "ExperimentKit " + typeof(PostgresRunLedger).Assembly.GetName().Version, NpgsqlDbType.Text)).ConfigureAwait(false);
            }

            await transaction.CommitAsync(token).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>A 64-bit advisory lock key of the ledger in a schema, the same in every process.</summary>
    private static long MigrationLockKey(string? schema)
        => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("ExperimentKit ledger migration:" + (schema ?? string.Empty))), 0);

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection, retrying transient errors with backoff within
    /// <see cref="PostgresLedgerOptions.RetryFor"/>. The work gets the try number (0 first): a write whose earlier
    /// try may have been applied checks for that before it reports a lost claim.
    /// </summary>
    private async Task<T> WithRetryAsync<T>(string operation, Func<NpgsqlConnection, int, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                return await work(connection, attempt, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresRetry.IsTransient(e) && !ct.IsCancellationRequested && PostgresRetry.WithinBudget(start, _options.RetryFor))
            {
                // Pooled connections to a restarted server are all dead: drop them rather than fail on each in turn.
                _dataSource.Clear();
                var delay = PostgresRetry.Delay(attempt);
                Log.Retrying(_logger, operation, Description, attempt + 1, (long)delay.TotalMilliseconds, ConnectionStrings.Redact(e.Message, _connectionString));
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value, NpgsqlDbType Type)> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object? Value, NpgsqlDbType Type)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object? Value, NpgsqlDbType Type)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The rows a command returns (read with <see cref="PostgresRunColumns"/>).</summary>
    private static async Task<List<RunRow>> RowsAsync(NpgsqlCommand command, string? experiment, CancellationToken ct)
    {
        var rows = new List<RunRow>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(PostgresRunColumns.Read(reader, experiment ?? reader.GetString(PostgresRunColumns.NextOrdinal), out _));
        }

        return rows;
    }

    /// <summary>The key predicate on <c>runs r</c>; parameters <c>@e</c>, <c>@v</c>, <c>@h</c>.</summary>
    private const string ByKey = "r.experiment_id = (SELECT exp_id FROM experiments WHERE name = @e) AND r.version = @v AND r.hash = @h";

    private static (string, object?, NpgsqlDbType)[] KeyParameters(RunKey key, params (string, object?, NpgsqlDbType)[] more)
        => [("e", key.Experiment, NpgsqlDbType.Text), ("v", key.Version, NpgsqlDbType.Integer), ("h", key.Hash, NpgsqlDbType.Text), .. more];

    private static async Task<RunRow?> SelectAsync(NpgsqlConnection connection, RunKey key, bool forUpdate, CancellationToken ct)
    {
        await using var command = Command(connection, $"SELECT {PostgresRunColumns.Select} FROM runs r WHERE {ByKey}{(forUpdate ? " FOR UPDATE" : string.Empty)}", KeyParameters(key));
        return (await RowsAsync(command, key.Experiment, ct).ConfigureAwait(false)).SingleOrDefault();
    }

    private static void Validate(RunKey key) => LedgerArguments.Key(key);

    private static void ValidateToken(string ownerToken) => LedgerArguments.OwnerToken(ownerToken);

    /// <summary>A string map as jsonb text (null when empty).</summary>
    private static string? StringMap(IReadOnlyDictionary<string, string>? map) => new LedgerJson().StringMap(map);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Ledger call {Operation} on {Ledger} failed (try {Try}), retrying in {DelayMs} ms: {Error}")]
        public static partial void Retrying(ILogger logger, string operation, string ledger, int @try, long delayMs, string error);
    }
}
