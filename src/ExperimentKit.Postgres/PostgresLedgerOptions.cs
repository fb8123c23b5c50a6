namespace ExperimentKit.Postgres;

/// <summary>
/// How to reach and use the PostgreSQL ledger. With the hosted worker these bind from the
/// <c>ExperimentKit:Postgres</c> section, and the connection string defaults to <c>ConnectionStrings:ExperimentKit</c>.
/// </summary>
public sealed class PostgresLedgerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ExperimentKit:Postgres";

    /// <summary>The name of the connection string (<c>ConnectionStrings:ExperimentKit</c>) used when <see cref="ConnectionString"/> is not set.</summary>
    public const string ConnectionStringName = "ExperimentKit";

    /// <summary>An Npgsql connection string (<c>Host=db;Database=experiments;Username=exk;Password=...</c>). Its password is never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The schema that holds the ledger's tables, created if missing. Default: none, so the first schema of the
    /// connection's search path (usually <c>public</c>). Several ledgers can share one database in several schemas.
    /// </summary>
    public string? Schema { get; set; }

    /// <summary>
    /// How long one ledger call keeps retrying a transient error (server restart, dropped connection, failover),
    /// with exponential backoff from 50 ms to 5 s. Default 2 minutes; zero disables retries.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Judge every Running claim by its lease alone, never by whether its owner process still exists on this
    /// host. Set it when machines share host names (containers started with one fixed host name, where a pid on
    /// another machine would look dead here). Default false: a dead owner on this host is taken over at once.
    /// </summary>
    public bool LeaseOnly { get; set; }
}
