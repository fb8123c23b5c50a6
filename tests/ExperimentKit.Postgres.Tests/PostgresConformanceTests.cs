using ExperimentKit.Ledger.Conformance;

namespace ExperimentKit.Postgres.Tests;

/// <summary>The shared ledger contract, against a real PostgreSQL server: every test gets a fresh schema.</summary>
/// <remarks>
/// When no server can be had they are skipped with the reason (the base's <see cref="RunLedgerConformanceTests.SkipReason"/>
/// hook), unless EXPERIMENTKIT_REQUIRE_ALL_TESTS=1 (CI): then they run and fail for want of the server.
/// </remarks>
public sealed class PostgresConformanceTests : RunLedgerConformanceTests
{
    private readonly string _schema = PostgresServer.NewSchema();
    private PostgresServer? _server;

    protected override string? SkipReason() => PostgresServer.Required ? null : PostgresServer.Unavailable();

    protected override async Task<IRunLedger> CreateLedgerAsync()
    {
        _server = await PostgresServer.SharedAsync();
        return await PostgresRunLedger.OpenAsync(new PostgresLedgerOptions { ConnectionString = _server.ConnectionString, Schema = _schema });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DropSchemaAsync(_schema);
        }
    }
}
