namespace ExperimentKit.Cli;

/// <summary>
/// The one place the tool opens a ledger. Today that is the SQLite file <c>{root}/ledger.db</c> (or the file
/// given with <c>--ledger</c>); another backend (a PostgreSQL connection string in <c>--ledger</c>) plugs in
/// here, and every command that only needs <see cref="IRunLedger"/> works with it unchanged.
/// </summary>
internal static class LedgerAccess
{
    public const string FileName = "ledger.db";

    /// <summary>The SQLite ledger file of a root, or the <c>--ledger</c> file.</summary>
    public static string SqlitePath(string root, string? ledger, string currentDirectory)
        => ledger is null ? Path.Combine(root, FileName) : Path.GetFullPath(ledger, currentDirectory);

    /// <summary>Opens the ledger; a missing ledger is an error (a browsing tool must not create one) unless <paramref name="create"/>.</summary>
    public static async Task<IRunLedger> OpenAsync(string root, string? ledger, string currentDirectory, bool create, CancellationToken ct)
    {
        var path = SqlitePath(root, ledger, currentDirectory);
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
}
