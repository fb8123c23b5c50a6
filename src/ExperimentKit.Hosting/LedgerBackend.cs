namespace ExperimentKit.Hosting;

/// <summary>Where the run ledger lives (<c>ExperimentKit:Backend</c>).</summary>
public enum LedgerBackend
{
    /// <summary>The embedded SQLite ledger in <c>{Root}/ledger.db</c>: many processes on one machine (the default).</summary>
    Sqlite,

    /// <summary>
    /// A PostgreSQL database shared by workers on many machines. Needs the <c>ExperimentKit.Postgres</c> package and
    /// <c>AddExperimentKit(...).AddPostgresLedger()</c>, and a connection string (<c>ConnectionStrings:ExperimentKit</c>).
    /// </summary>
    Postgres,
}
