namespace ExperimentKit.Postgres.Tests;

/// <summary>
/// A fact that needs a PostgreSQL server. Skipped, with the reason, when there is none and
/// <c>EXPERIMENTKIT_REQUIRE_ALL_TESTS</c> is not 1; in CI (where it is 1) the test runs and fails instead.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Unavailable() is { } reason && !PostgresServer.Required)
        {
            Skip = reason;
        }
    }
}

/// <summary>A PostgreSQL fact that also needs Unix signals and a private cluster (kills, restarts).</summary>
public sealed class PostgresProcessFactAttribute : FactAttribute
{
    public PostgresProcessFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs Unix signals (SIGKILL).";
        }
        else if (PostgresServer.Unavailable() is { } reason && !PostgresServer.Required)
        {
            Skip = reason;
        }
    }
}

/// <summary>Process tests run one at a time: each keeps both cores busy.</summary>
[CollectionDefinition(nameof(PostgresProcessTests), DisableParallelization = true)]
public sealed class PostgresProcessTests
{
}
