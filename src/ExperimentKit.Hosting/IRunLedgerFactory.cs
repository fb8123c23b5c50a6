namespace ExperimentKit.Hosting;

/// <summary>
/// Opens the run ledger of a backend other than the embedded SQLite one. A backend package registers one
/// (<c>ExperimentKit.Postgres</c>: <c>AddPostgresLedger()</c>), so the hosting library needs no database driver;
/// the sweep worker asks for the factory whose <see cref="Backend"/> is <see cref="ExperimentKitOptions.Backend"/>.
/// </summary>
public interface IRunLedgerFactory
{
    /// <summary>The backend this factory opens.</summary>
    LedgerBackend Backend { get; }

    /// <summary>Opens (creating or migrating its schema as needed) the ledger; the caller disposes it.</summary>
    /// <exception cref="LedgerOpenException">The ledger cannot be opened; the message says why and never holds a password.</exception>
    Task<IRunLedger> OpenAsync(ExperimentKitOptions options, CancellationToken cancellationToken);
}
