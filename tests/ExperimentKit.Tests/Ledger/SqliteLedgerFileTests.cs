using ExperimentKit.Ledger.Conformance;
using Microsoft.Data.Sqlite;

namespace ExperimentKit.Tests.Ledger;

/// <summary>What the SQLite ledger does with the file it is given: new, reopened, damaged, foreign or too new.</summary>
public sealed class SqliteLedgerFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string LedgerPath => _folder.File("ledger.db");

    public void Dispose() => _folder.Dispose();

    private static void AssertRefusedUntouched(LedgerOpenException e, string path)
    {
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("left untouched", e.Message, StringComparison.Ordinal);
    }

    private static void AssertSaysWhatToDo(LedgerOpenException e)
    {
        Assert.Contains("restore it from a backup", e.Message, StringComparison.Ordinal);
        Assert.Contains("move it away", e.Message, StringComparison.Ordinal);
    }

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task A_missing_file_in_a_missing_folder_becomes_a_new_ledger()
    {
        var path = Path.Combine(_folder.Path, "store", "root", "ledger.db");

        await using (var ledger = await SqliteRunLedger.OpenAsync(path))
        {
            Assert.Equal(Path.GetFullPath(path), ledger.DatabasePath);
            Assert.Contains(path, ledger.Description, StringComparison.Ordinal);
            await LedgerSeed.CompleteAsync(ledger, 1, 3);
        }

        using var raw = Raw(path);
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteMigrations.Latest, Scalar(raw, "SELECT max(version) FROM schema_version"));
        Assert.Equal((long)SqliteMigrations.ApplicationId, Scalar(raw, "PRAGMA application_id"));
        Assert.Equal(3L, Scalar(raw, "SELECT count(*) FROM runs"));
    }

    [Fact]
    public async Task A_ledger_of_schema_version_1_is_migrated_forward_keeping_every_run()
    {
        await using (var ledger = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            await LedgerSeed.CompleteAsync(ledger, 1, 5);
        }

        // Turn the file back into what schema version 1 wrote.
        using (var raw = Raw(LedgerPath))
        {
            Scalar(raw, "DROP TABLE submissions");
            Scalar(raw, "DELETE FROM schema_version WHERE version > 1");
        }

        SqliteConnection.ClearAllPools();
        await using (var migrated = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            Assert.Equal(5, (await migrated.ListAsync(new RunQuery())).Count);
            var queued = await migrated.SubmitAsync("train", ["A=1"]);
            Assert.Equal(SubmissionStatus.Queued, queued.Status);
        }

        using var check = Raw(LedgerPath);
        Assert.Equal((long)SqliteMigrations.Latest, Scalar(check, "SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public async Task An_empty_file_becomes_a_new_ledger()
    {
        await File.WriteAllBytesAsync(LedgerPath, []);

        await using var ledger = await SqliteRunLedger.OpenAsync(LedgerPath);

        Assert.Equal(1, (await ledger.ClaimAsync(LedgerSeed.Claim(1))).Row.Uid);
    }

    [Fact]
    public async Task Reopening_keeps_every_row_and_continues_the_uid_sequence()
    {
        List<RunRow> before;
        await using (var ledger = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            await LedgerSeed.CompleteAsync(ledger, 1, 40);
            var failing = LedgerSeed.Claim(41);
            await ledger.ClaimAsync(failing);
            await ledger.FailAsync(failing.Key, failing.Owner.Token, new RunCompletion { Elapsed = TimeSpan.FromSeconds(1), Error = "boom" });
            await ledger.ClaimAsync(LedgerSeed.Claim(42));
            await ledger.AnnotateAsync(failing.Key, new RunAnnotation { SetNote = true, Note = "flaky", AddTags = ["b", "a"] });
            before = [.. await ledger.ListAsync(new RunQuery { OrderBy = RunOrder.Uid })];
        }

        await using (var reopened = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            var after = await reopened.ListAsync(new RunQuery { OrderBy = RunOrder.Uid });
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                RunRowAssert.Same(before[i], after[i]);
            }

            Assert.Equal(40, (await reopened.ListAsync(new RunQuery { Statuses = [RunStatus.Completed] })).Count);
            Assert.Equal(43, (await reopened.ClaimAsync(LedgerSeed.Claim(43))).Row.Uid);
        }
    }

    [Fact]
    public async Task A_garbage_file_is_refused_with_a_clear_error_and_left_untouched()
    {
        var garbage = new byte[8192];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(LedgerPath, garbage);

        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => SqliteRunLedger.OpenAsync(LedgerPath));

        AssertRefusedUntouched(e, LedgerPath);
        AssertSaysWhatToDo(e);
        Assert.Contains("not a SQLite database", e.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(LedgerPath));
    }

    [Fact]
    public async Task A_text_file_is_refused_and_left_untouched()
    {
        await File.WriteAllTextAsync(LedgerPath, "{\"runs\": []}\n");
        var bytes = await File.ReadAllBytesAsync(LedgerPath);

        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => SqliteRunLedger.OpenAsync(LedgerPath));

        AssertRefusedUntouched(e, LedgerPath);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(LedgerPath));
    }

    [Fact]
    public async Task A_truncated_ledger_is_refused_with_a_clear_error_and_left_untouched()
    {
        await using (var ledger = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            await LedgerSeed.CompleteAsync(ledger, 1, 300);
        }

        var whole = new FileInfo(LedgerPath).Length;
        Assert.True(whole > 64 * 1024, $"the ledger should span many pages, it has {whole} bytes");
        using (var stream = new FileStream(LedgerPath, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(whole / 2);
        }

        var truncated = await File.ReadAllBytesAsync(LedgerPath);

        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => SqliteRunLedger.OpenAsync(LedgerPath));

        AssertRefusedUntouched(e, LedgerPath);
        AssertSaysWhatToDo(e);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        Assert.Equal(truncated, await File.ReadAllBytesAsync(LedgerPath));
    }

    [Fact]
    public async Task Damage_found_after_opening_is_reported_as_a_corrupt_ledger()
    {
        await using (var ledger = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            await LedgerSeed.CompleteAsync(ledger, 1, 400);
        }

        // Overwrite pages in the middle of the file, away from the schema and the rightmost pages that opening reads.
        var length = new FileInfo(LedgerPath).Length;
        using (var stream = new FileStream(LedgerPath, FileMode.Open, FileAccess.Write))
        {
            stream.Position = length / 4;
            var junk = new byte[(int)(length / 4)];
            new Random(7).NextBytes(junk);
            stream.Write(junk);
        }

        await using var damaged = await SqliteRunLedger.OpenAsync(LedgerPath);
        var e = await Assert.ThrowsAsync<LedgerCorruptException>(() => damaged.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Epochs"] = "12" } }));

        Assert.Contains(LedgerPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
    }

    [Fact]
    public async Task A_ledger_from_a_newer_ExperimentKit_is_refused_and_left_untouched()
    {
        await using (var ledger = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            await LedgerSeed.CompleteAsync(ledger, 1, 5);
        }

        using (var raw = Raw(LedgerPath))
        {
            Scalar(raw, "INSERT INTO schema_version (version, applied_ms, description, applied_by) VALUES (7, 0, 'from the future', 'ExperimentKit 9.0.0')");
        }

        var bytes = await File.ReadAllBytesAsync(LedgerPath);

        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => SqliteRunLedger.OpenAsync(LedgerPath));

        AssertRefusedUntouched(e, LedgerPath);
        Assert.Contains("schema version 7", e.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SqliteMigrations.Latest}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade ExperimentKit", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(LedgerPath));
    }

    [Fact]
    public async Task Another_program_s_sqlite_database_is_refused_and_left_untouched()
    {
        using (var raw = Raw(LedgerPath))
        {
            Scalar(raw, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada')");
        }

        var bytes = await File.ReadAllBytesAsync(LedgerPath);

        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => SqliteRunLedger.OpenAsync(LedgerPath));

        AssertRefusedUntouched(e, LedgerPath);
        Assert.Contains("another program", e.Message, StringComparison.Ordinal);
        Assert.Contains("people", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(LedgerPath));
    }

    [Fact]
    public async Task Durability_chooses_the_synchronous_pragma_and_the_busy_timeout_is_applied()
    {
        await using (var normal = await SqliteRunLedger.OpenAsync(LedgerPath, new ExperimentStoreOptions { BusyTimeout = TimeSpan.FromSeconds(7) }))
        {
            Assert.Equal(1L, normal.ReadPragma("synchronous"));
            Assert.Equal(7000L, normal.ReadPragma("busy_timeout"));
            Assert.Equal(1L, normal.ReadPragma("foreign_keys"));
            Assert.Equal("wal", normal.ReadPragma("journal_mode"));
        }

        await using var full = await SqliteRunLedger.OpenAsync(LedgerPath, new ExperimentStoreOptions { Durability = Durability.Full });
        Assert.Equal(2L, full.ReadPragma("synchronous"));
    }

    [Fact]
    public async Task Disposing_closes_the_file_cleanly_and_later_calls_fail()
    {
        var ledger = await SqliteRunLedger.OpenAsync(LedgerPath);
        await LedgerSeed.CompleteAsync(ledger, 1, 3);

        await ledger.DisposeAsync();
        await ledger.DisposeAsync();

        // The last connection checkpoints and removes the WAL: the file alone holds everything.
        Assert.False(File.Exists(LedgerPath + "-wal"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ledger.GetAsync(new RunKey("train", 1, LedgerSeed.HashOf(1))));
        File.Move(LedgerPath, LedgerPath + ".moved");
        await using var moved = await SqliteRunLedger.OpenAsync(LedgerPath + ".moved");
        Assert.Equal(3, (await moved.ListAsync(new RunQuery())).Count);
    }

    [Fact]
    public async Task A_typical_run_costs_less_than_a_kilobyte_on_disk()
    {
        const int runs = 2000;
        await using (var ledger = await SqliteRunLedger.OpenAsync(LedgerPath))
        {
            await LedgerSeed.CompleteAsync(ledger, 1, runs);
        }

        using var raw = Raw(LedgerPath);
        var pages = (long)Scalar(raw, "PRAGMA page_count")! - (long)Scalar(raw, "PRAGMA freelist_count")!;
        var bytesPerRun = pages * (long)Scalar(raw, "PRAGMA page_size")! / runs;
        Assert.InRange(bytesPerRun, 1, 1023);
    }
}
