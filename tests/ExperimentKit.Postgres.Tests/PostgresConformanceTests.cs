using ExperimentKit.Ledger.Conformance;

namespace ExperimentKit.Postgres.Tests;

/// <summary>The shared ledger contract, against a real PostgreSQL server: every test gets a fresh schema.</summary>
/// <remarks>
/// When no server can be had these tests fail in InitializeAsync with the reason (the inherited facts cannot be
/// skipped); install PostgreSQL or set EXPERIMENTKIT_POSTGRES, or filter them out.
/// </remarks>
public sealed class PostgresConformanceTests : RunLedgerConformanceTests
{
    private readonly string _schema = PostgresServer.NewSchema();
    private PostgresServer? _server;

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
