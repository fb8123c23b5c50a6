using System.Diagnostics;

namespace ExperimentKit;

/// <summary>
/// Runs parameter sets at most once and finds their results again: the ledger, run folders and runners
/// behind one object, usable without the host. Safe to share between tasks, and between processes that
/// open the same root.
/// </summary>
/// <remarks>
/// A run is claimed atomically in the ledger before its runner starts, its folder is written only by the
/// claim holder, and a lease renewed by a heartbeat lets another process take over a run whose owner died.
/// </remarks>
public sealed partial class ExperimentStore : IAsyncDisposable
{
    /// <summary>The name of the embedded ledger file under the root.</summary>
    public const string LedgerFileName = "ledger.db";

    private readonly LastUsedTracker _lastUsed;
    private readonly bool _ownsLedger;

    private ExperimentStore(string root, IRunLedger ledger, ExperimentStoreOptions options, bool ownsLedger)
    {
        Root = root;
        Ledger = ledger;
        Options = options;
        _ownsLedger = ownsLedger;
        _lastUsed = new LastUsedTracker(ledger, options.LastUsedResolution);
    }

    /// <summary>The root folder: run folders live under it.</summary>
    public string Root { get; }

    /// <summary>The ledger this store records runs in.</summary>
    public IRunLedger Ledger { get; }

    /// <summary>The options.</summary>
    public ExperimentStoreOptions Options { get; }

    /// <summary>Opens (or creates) a store with the embedded SQLite ledger in <c>{root}/ledger.db</c>.</summary>
    /// <exception cref="LedgerOpenException">The ledger file exists but is corrupt, not a ledger, or from a newer ExperimentKit; it is left untouched.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static async Task<ExperimentStore> OpenAsync(string root, ExperimentStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        options ??= new ExperimentStoreOptions();
        options.Validate();
        var fullRoot = Path.GetFullPath(root);
        Directory.CreateDirectory(fullRoot);
        var ledger = await SqliteRunLedger.OpenAsync(Path.Combine(fullRoot, LedgerFileName), options, cancellationToken).ConfigureAwait(false);
        return new ExperimentStore(fullRoot, ledger, options, ownsLedger: true);
    }

    /// <summary>Opens a store on another ledger backend (for example PostgreSQL); the store does not dispose it.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static Task<ExperimentStore> OpenAsync(string root, IRunLedger ledger, ExperimentStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(ledger);
        options ??= new ExperimentStoreOptions();
        options.Validate();
        var fullRoot = Path.GetFullPath(root);
        Directory.CreateDirectory(fullRoot);
        return Task.FromResult(new ExperimentStore(fullRoot, ledger, options, ownsLedger: false));
    }

    /// <summary>Returns the completed run of <paramref name="parameters"/>, or runs it now if there is none.</summary>
    /// <remarks>
    /// When another process is running the same parameters, this waits for it and returns its result: the
    /// runner body executes once per key however many processes ask. A run left Failed, Interrupted or by a
    /// dead process is run again (interrupted and orphaned runs as a resume).
    /// </remarks>
    /// <exception cref="HashCollisionException">Other parameters are recorded under the same hash.</exception>
    /// <exception cref="ParameterValueException">A hashed member holds NaN or an infinity.</exception>
    public Task<RunRecord<T>> RunOrRetrieveAsync<T>(T parameters, ExperimentRunner<T> runner, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(runner);
        return ExecuteAsync(parameters, runner, metadata, force: false, fingerprint: null, cancellationToken);
    }

    /// <inheritdoc cref="RunOrRetrieveAsync{T}(T, ExperimentRunner{T}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>
    public Task<RunRecord<T>> RunOrRetrieveAsync<T>(T parameters, IExperimentRunner<T> runner, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(runner);
        return ExecuteAsync(parameters, runner.RunAsync, metadata, force: false, RunnerFingerprints.For(runner.GetType()), cancellationToken);
    }

    /// <summary>Runs <paramref name="parameters"/> even if already completed: a new attempt of the same run (same uid and folder).</summary>
    /// <exception cref="HashCollisionException">Other parameters are recorded under the same hash.</exception>
    public Task<RunRecord<T>> RunAsync<T>(T parameters, ExperimentRunner<T> runner, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(runner);
        return ExecuteAsync(parameters, runner, metadata, force: true, fingerprint: null, cancellationToken);
    }

    /// <inheritdoc cref="RunAsync{T}(T, ExperimentRunner{T}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>
    public Task<RunRecord<T>> RunAsync<T>(T parameters, IExperimentRunner<T> runner, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(runner);
        return ExecuteAsync(parameters, runner.RunAsync, metadata, force: true, RunnerFingerprints.For(runner.GetType()), cancellationToken);
    }

    /// <summary>The completed run of <paramref name="parameters"/>, or null (a cache miss: <see cref="ExplainMissAsync{T}"/> says why).</summary>
    public async Task<RunRecord<T>?> RetrieveAsync<T>(T parameters, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var identity = RunIdentity.Of(parameters);
        var row = await Ledger.GetAsync(identity.Key, cancellationToken).ConfigureAwait(false);
        if (row is not { Status: RunStatus.Completed })
        {
            return null;
        }

        identity.CheckSameParameters(row);
        _lastUsed.Touch(row.Key);
        return new RunRecord<T>(row, Root);
    }

    /// <summary>Indexes a result produced elsewhere as the completed run of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters that produced the file.</param>
    /// <param name="resultPath">The result file; it must exist. A path under the root is recorded relative to it.</param>
    /// <param name="metadata">Key/values to record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="FileNotFoundException">The result file does not exist.</exception>
    /// <exception cref="InvalidOperationException">The run is already completed or running.</exception>
    public async Task<RunRecord<T>> RegisterAsync<T>(T parameters, string resultPath, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrWhiteSpace(resultPath);
        var full = Path.GetFullPath(resultPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Cannot register '{resultPath}': there is no such file. Register a result file that exists.", full);
        }

        var relative = Path.GetRelativePath(Root, full);
        var recorded = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative.Replace('\\', '/');
        var identity = RunIdentity.Of(parameters);
        var row = await Ledger.RegisterAsync(
            new RunRegistration
            {
                Key = identity.Key,
                ParamsJson = identity.ParamsJson,
                CanonicalJson = identity.CanonicalJson,
                ComponentHashes = identity.ComponentHashes,
                ResultFile = recorded,
                Metadata = RunMetadata.Collect(metadata),
            },
            cancellationToken).ConfigureAwait(false);
        var folder = RunFolder.Prepare(Root, row, Options);
        folder.WriteParams(row);
        folder.WriteStatus(row);
        return new RunRecord<T>(parameters, row, Root);
    }

    /// <summary>Deletes the run of <paramref name="parameters"/> from the ledger, and its folder when <paramref name="removeFiles"/>.</summary>
    /// <returns>Whether a run was deleted.</returns>
    public async Task<bool> DeleteAsync<T>(T parameters, bool removeFiles = false, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var key = RunKey.For(parameters);
        var row = await Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        var deleted = await Ledger.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        if (deleted && removeFiles)
        {
            var directory = RunPaths.Directory(Root, row);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        return deleted;
    }

    /// <summary>Flushes pending last-used times and closes the ledger (when the store opened it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _lastUsed.DisposeAsync().ConfigureAwait(false);
        if (_ownsLedger)
        {
            await Ledger.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RunRecord<T>> ExecuteAsync<T>(T parameters, ExperimentRunner<T> runner, IReadOnlyDictionary<string, string>? metadata, bool force, string? fingerprint, CancellationToken cancellationToken)
        where T : IExperimentParameters<T>
        => (await ExecuteAsync(parameters, runner, metadata, force, fingerprint, waitIfHeld: true, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Runs or retrieves a point; with <paramref name="waitIfHeld"/> false, returns null at once when another live owner holds it.</summary>
    /// <param name="parameters">The point.</param>
    /// <param name="runner">Its runner.</param>
    /// <param name="metadata">Key/values to record.</param>
    /// <param name="force">Run even if completed.</param>
    /// <param name="fingerprint">The runner's code fingerprint.</param>
    /// <param name="waitIfHeld">Wait for another live owner's result instead of returning null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="knownNotCompleted">
    /// The caller has just read the point's status in bulk and it was not completed: the first try claims at once
    /// instead of reading the row first (the claim still returns a run completed meanwhile, without writing it).
    /// </param>
    internal async Task<RunRecord<T>?> ExecuteAsync<T>(T parameters, ExperimentRunner<T> runner, IReadOnlyDictionary<string, string>? metadata, bool force, string? fingerprint, bool waitIfHeld, CancellationToken cancellationToken, bool knownNotCompleted = false)
        where T : IExperimentParameters<T>
    {
        var identity = RunIdentity.Of(parameters);
        var delay = TimeSpan.FromMilliseconds(20);
        var lookUp = !knownNotCompleted;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!force && lookUp)
            {
                // The common case on a re-run sweep: one indexed read, no write.
                var existing = await Ledger.GetAsync(identity.Key, cancellationToken).ConfigureAwait(false);
                if (existing is { Status: RunStatus.Completed })
                {
                    identity.CheckSameParameters(existing);
                    _lastUsed.Touch(existing.Key);
                    return new RunRecord<T>(existing, Root);
                }
            }

            var owner = RunOwner.NewForCurrentProcess();
            var claim = await Ledger.ClaimAsync(
                new RunClaimRequest
                {
                    Key = identity.Key,
                    ParamsJson = identity.ParamsJson,
                    CanonicalJson = identity.CanonicalJson,
                    ComponentHashes = identity.ComponentHashes,
                    Owner = owner,
                    Lease = Options.LeaseDuration,
                    ResultFileName = "result" + Options.ResultExtensionFor(identity.Key.Experiment),
                    Metadata = RunMetadata.Collect(metadata),
                    RunnerFingerprint = fingerprint,
                    Force = force,
                },
                cancellationToken).ConfigureAwait(false);

            switch (claim.Outcome)
            {
                case ClaimOutcome.AlreadyCompleted:
                    _lastUsed.Touch(claim.Row.Key);
                    return new RunRecord<T>(claim.Row, Root);
                case ClaimOutcome.Claimed:
                    return await RunClaimedAsync(parameters, identity, runner, claim, owner, cancellationToken).ConfigureAwait(false);
                default:
                    if (!waitIfHeld)
                    {
                        return null;
                    }

                    // Another live process runs it: wait for its result (or for its lease to lapse).
                    force = false;
                    lookUp = true;
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
                    break;
            }
        }
    }

    private async Task<RunRecord<T>> RunClaimedAsync<T>(T parameters, RunIdentity identity, ExperimentRunner<T> runner, ClaimResult claim, RunOwner owner, CancellationToken cancellationToken)
        where T : IExperimentParameters<T>
    {
        var row = claim.Row;
        var key = row.Key;
        var context = new RunContext(new RunContextSetup(Root, row, claim.IsResume, Options));
        var folder = context.Folder;
        folder.WriteParams(row);

        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var status = RunStatusWriter.Start(folder, row, runCancellation.Token);
        await using var heartbeat = Heartbeat.Start(Ledger, key, owner.Token, Options.LeaseDuration, runCancellation);
        var stopwatch = Stopwatch.StartNew();
        RunRow finished;
        try
        {
            try
            {
                await runner(parameters, context, runCancellation.Token).ConfigureAwait(false);
                await context.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await context.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (runCancellation.IsCancellationRequested)
        {
            await heartbeat.StopAsync().ConfigureAwait(false);
            if (heartbeat.ClaimLost)
            {
                throw new ClaimLostException(key);
            }

            finished = await Ledger.InterruptAsync(key, owner.Token, Completion(context, stopwatch, error: null), CancellationToken.None).ConfigureAwait(false);
            status.WriteFinal(finished);
            throw;
        }
        catch (Exception error)
        {
            await heartbeat.StopAsync().ConfigureAwait(false);
            finished = await Ledger.FailAsync(key, owner.Token, Completion(context, stopwatch, error.ToString()), CancellationToken.None).ConfigureAwait(false);
            status.WriteFinal(finished);
            throw;
        }

        await heartbeat.StopAsync().ConfigureAwait(false);
        finished = await Ledger.CompleteAsync(key, owner.Token, Completion(context, stopwatch, error: null), CancellationToken.None).ConfigureAwait(false);
        status.WriteFinal(finished);
        return new RunRecord<T>(parameters, finished, Root);
    }

    private static RunCompletion Completion(RunContext context, Stopwatch stopwatch, string? error) => new()
    {
        Elapsed = stopwatch.Elapsed,
        Summary = context.SummarySnapshot(),
        Files = context.Files,
        Error = error,
    };
}
