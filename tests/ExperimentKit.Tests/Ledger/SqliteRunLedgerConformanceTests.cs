using ExperimentKit.Ledger.Conformance;

namespace ExperimentKit.Tests.Ledger;

/// <summary>The shared ledger contract, on a fresh SQLite file per test.</summary>
public sealed class SqliteRunLedgerConformanceTests : RunLedgerConformanceTests
{
    private readonly TempFolder _folder = new();

    protected override async Task<IRunLedger> CreateLedgerAsync()
        => await SqliteRunLedger.OpenAsync(Path.Combine(_folder.Path, "ledger.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
