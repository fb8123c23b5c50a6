using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace ExperimentKit.Hosting;

/// <summary>One registered experiment: its sweep and how to run its points. The generic half knows the types.</summary>
internal abstract class ExperimentRegistration
{
    public abstract ParametersDescriptor Descriptor { get; }

    public string Name => Descriptor.ExperimentName!;

    /// <summary>Resolves the sweep now, so bad arguments stop start-up before anything runs.</summary>
    /// <exception cref="ArgumentException">The sweep arguments or configuration are wrong.</exception>
    public abstract void Validate(WorkerArguments arguments);

    public abstract Task<SweepProgress> RunAsync(SweepContext context, Action<SweepProgress> started, CancellationToken cancellationToken);

    /// <summary>Runs a queued submission: its assignments over the sweep from code, as on the command line.</summary>
    /// <exception cref="ArgumentException">The assignments are wrong; nothing was run.</exception>
    public abstract Task<SweepProgress> RunSubmissionAsync(SweepContext context, IReadOnlyList<string> assignments, Action<SweepProgress> started, CancellationToken cancellationToken);

    public abstract Task DryRunAsync(SweepContext context, TextWriter output, CancellationToken cancellationToken);
}

/// <summary>Everything a sweep needs from the worker.</summary>
internal sealed record SweepContext(
    ExperimentStore Store,
    ExperimentKitOptions Options,
    IServiceScopeFactory Scopes,
    WorkerArguments Arguments,
    ExperimentKitTelemetry Telemetry,
    Microsoft.Extensions.Logging.ILogger Logger);

/// <inheritdoc />
internal sealed class ExperimentRegistration<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRunner>(Sweep<T>? codeSweep) : ExperimentRegistration
    where T : IExperimentParameters<T>
    where TRunner : class, IExperimentRunner<T>
{
    // Points per ledger round trip: one query of the SQLite ledger (10,000 hashes), large enough that a chunk's
    // hashes, looked up in key order, share the index pages they land on.
    private const int Chunk = 10_000;

    // On a ledger shared by other workers (PostgreSQL), statuses go stale as the others complete points: there the
    // producer looks up small chunks just before running them, and grows the chunk while whole chunks turn out to
    // be completed (a finished sweep is still skipped in bulk), shrinking it again when a chunk has points to run. Four workers reading 10,000 statuses up front each
    // ran into the points the others had completed meanwhile, one ledger call per point (three in four points).
    private const int SharedFirstChunk = 64;

    public override ParametersDescriptor Descriptor => T.Descriptor;

    public override void Validate(WorkerArguments arguments) => ResolveSweep(arguments);

    /// <summary>Code, then configuration, then command line: each later source overrides the members it names.</summary>
    internal Sweep<T> ResolveSweep(WorkerArguments arguments)
    {
        var sweep = codeSweep;
        var configured = arguments.ConfiguredSweep(Name);
        if (configured.Count > 0)
        {
            sweep = SweepOverrides.FromConfiguration(Descriptor, configured).Apply(sweep);
        }

        var assigned = arguments.AssignmentsFor(Descriptor);
        if (assigned.Count > 0)
        {
            sweep = SweepOverrides.Parse(Descriptor, assigned).Apply(sweep);
        }

        return sweep ?? throw new ArgumentException(
            $"Experiment '{Name}' has no sweep: pass one to AddExperiment<{typeof(T).Name}, {typeof(TRunner).Name}>(...), "
            + $"set {ExperimentKitOptions.SectionName}:Sweeps:{Name} in configuration, or give Member=v1,v2 arguments.");
    }

    public override Task<SweepProgress> RunAsync(SweepContext context, Action<SweepProgress> started, CancellationToken cancellationToken)
        => RunSweepAsync(context, ResolveSweep(context.Arguments), started, cancellationToken);

    public override Task<SweepProgress> RunSubmissionAsync(SweepContext context, IReadOnlyList<string> assignments, Action<SweepProgress> started, CancellationToken cancellationToken)
        => RunSweepAsync(context, SweepOverrides.Parse(Descriptor, assignments).Apply(codeSweep), started, cancellationToken);

    private async Task<SweepProgress> RunSweepAsync(SweepContext context, Sweep<T> sweep, Action<SweepProgress> started, CancellationToken cancellationToken)
    {
        var progress = new SweepProgress(Name, sweep.IsIndexable ? sweep.Count : null);
        started(progress);
        var options = context.Options;
        Log.SweepStarting(context.Logger, Name, Descriptor.Version, progress.TotalText, options.MaxParallelism, context.Store.Root);
        var fingerprint = RunnerFingerprints.For(typeof(TRunner));
        var deferred = new ConcurrentQueue<T>();
        var changed = new CodeChangeTally();
        var shared = options.Backend != LedgerBackend.Sqlite;
        var capacity = shared ? Math.Max(4, options.MaxParallelism * 2) : Math.Max(Chunk, options.MaxParallelism * 4);
        var channel = Channel.CreateBounded<(T Point, bool Force)>(new BoundedChannelOptions(capacity) { SingleWriter = true });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(context, sweep, fingerprint, channel.Writer, progress, changed, stop.Token), stop.Token);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = stop.Token };
        try
        {
            // A point from the producer was not completed when its status was read: claim it without reading it again.
            await Parallel.ForEachAsync(channel.Reader.ReadAllAsync(stop.Token), parallel, (item, token) =>
                new ValueTask(RunPointAsync(context, item.Point, item.Force, waitIfHeld: false, fingerprint, deferred, progress, token, knownNotCompleted: true))).ConfigureAwait(false);
            await producer.ConfigureAwait(false);

            // Points another worker held during the pass: wait for them now, or take them over if their owner died.
            await Parallel.ForEachAsync(deferred, parallel, (point, token) =>
                new ValueTask(RunPointAsync(context, point, force: false, waitIfHeld: true, fingerprint, deferred, progress, token))).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }

        if (changed.Count > 0)
        {
            Log.CodeChanged(context.Logger, changed.Count, Name, changed.Example!);
        }

        Log.SweepFinished(context.Logger, Name, progress.Completed, progress.Skipped, progress.Failed, progress.Elapsed);
        return progress;
    }

    private async Task ProduceAsync(SweepContext context, Sweep<T> sweep, string? fingerprint, ChannelWriter<(T, bool)> writer, SweepProgress progress, CodeChangeTally changed, CancellationToken cancellationToken)
    {
        try
        {
            var shared = context.Options.Backend != LedgerBackend.Sqlite;
            var size = shared ? SharedFirstChunk : Chunk;
            using var points = VisitOrder(sweep, context.Options.Backend).GetEnumerator();
            while (NextChunk(points, size) is { Length: > 0 } chunk)
            {
                var hashes = new string[chunk.Length];
                for (var i = 0; i < chunk.Length; i++)
                {
                    hashes[i] = chunk[i].ComputeHash().ToString();
                }

                // One ledger round trip per chunk: a completed sweep of millions of points is skipped in bulk.
                var statuses = await context.Store.Ledger.GetStatusesAsync(Name, Descriptor.Version, hashes, cancellationToken).ConfigureAwait(false);
                var skipped = 0L;
                for (var i = 0; i < chunk.Length; i++)
                {
                    var decision = Decide(statuses.TryGetValue(hashes[i], out var info) ? info : null, fingerprint, context.Options.OnCodeChange);
                    if (decision is Decision.SkipCodeChanged)
                    {
                        changed.Add(hashes[i]);
                    }

                    if (decision is Decision.Skip or Decision.SkipCodeChanged)
                    {
                        skipped++;
                        continue;
                    }

                    await writer.WriteAsync((chunk[i], decision == Decision.Rerun), cancellationToken).ConfigureAwait(false);
                }

                if (skipped > 0)
                {
                    progress.AddSkipped(skipped);
                    context.Telemetry.Skipped.Add(skipped, new KeyValuePair<string, object?>("experimentkit.experiment", Name));
                }

                if (shared)
                {
                    // Fourfold up while chunks are all completed, fourfold down (to the first size) when one has
                    // points to run: a sweep with a few scattered points left is not read 64 points at a time.
                    size = skipped == chunk.Length ? Math.Min(Chunk, size * 4) : Math.Max(SharedFirstChunk, size / 4);
                }
            }
        }
        finally
        {
            writer.Complete();
        }
    }

    private static T[] NextChunk(IEnumerator<T> points, int size)
    {
        var chunk = new List<T>(Math.Min(size, 1024));
        while (chunk.Count < size && points.MoveNext())
        {
            chunk.Add(points.Current);
        }

        return [.. chunk];
    }

    /// <summary>
    /// The order this worker visits the points in. On the embedded SQLite ledger: the sweep's own order. On a
    /// ledger shared by machines (PostgreSQL): an order of this worker's own, <c>(a·i + b) mod n</c> with random
    /// <c>a</c> coprime to <c>n</c> and random <c>b</c>, a permutation that needs no memory. Workers that started
    /// together then rarely reach for the same point at once, instead of walking the sweep in lockstep and
    /// colliding on nearly every claim; each still visits every point once.
    /// </summary>
    internal static IEnumerable<T> VisitOrder(Sweep<T> sweep, LedgerBackend backend)
    {
        if (backend == LedgerBackend.Sqlite || !sweep.IsIndexable || sweep.Count < 3)
        {
            return sweep;
        }

        var n = sweep.Count;
        long a;
        do
        {
            a = Random.Shared.NextInt64(1, n);
        }
        while (System.Numerics.BigInteger.GreatestCommonDivisor(a, n) != 1);
        var b = Random.Shared.NextInt64(n);
        return Permuted(sweep, n, a, b);
    }

    private static IEnumerable<T> Permuted(Sweep<T> sweep, long n, long a, long b)
    {
        for (long i = 0; i < n; i++)
        {
            yield return sweep.ElementAt((long)((((Int128)a * i) + b) % n));
        }
    }

    private enum Decision
    {
        Run,
        Skip,
        SkipCodeChanged,
        Rerun,
    }

    private static Decision Decide(RunStatusInfo? info, string? fingerprint, CodeChangePolicy policy)
    {
        if (info is not { Status: RunStatus.Completed } completed)
        {
            return Decision.Run;
        }

        var changedCode = fingerprint is not null && completed.RunnerFingerprint is not null && completed.RunnerFingerprint != fingerprint;
        return (changedCode, policy) switch
        {
            (true, CodeChangePolicy.Rerun) => Decision.Rerun,
            (true, CodeChangePolicy.Warn) => Decision.SkipCodeChanged,
            _ => Decision.Skip,
        };
    }

    private async Task RunPointAsync(SweepContext context, T point, bool force, bool waitIfHeld, string? fingerprint, ConcurrentQueue<T> deferred, SweepProgress progress, CancellationToken cancellationToken, bool knownNotCompleted = false)
    {
        var experimentTag = new KeyValuePair<string, object?>("experimentkit.experiment", Name);
        for (var attempt = 1; ; attempt++)
        {
            var executed = false;
            using var activity = ExperimentKitTelemetry.ActivitySource.StartActivity("experimentkit.run");
            activity?.SetTag("experimentkit.experiment", Name);
            await using var scope = context.Scopes.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<TRunner>();
            try
            {
                var record = await context.Store.ExecuteAsync(point, async (p, run, token) =>
                {
                    executed = true;
                    activity?.SetTag("experimentkit.hash", run.Hash);
                    activity?.SetTag("experimentkit.uid", run.Uid);
                    activity?.SetTag("experimentkit.attempt", run.Attempt);
                    activity?.SetTag("experimentkit.resume", run.IsResume);
                    context.Telemetry.Started.Add(1, experimentTag);
                    progress.RunStarted();
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        await runner.RunAsync(p, run, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        progress.RunEnded();
                        context.Telemetry.Duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, experimentTag);
                    }
                }, metadata: null, force, fingerprint, waitIfHeld, cancellationToken, knownNotCompleted && attempt == 1).ConfigureAwait(false);

                if (record is null)
                {
                    deferred.Enqueue(point);
                }
                else if (executed)
                {
                    progress.AddCompleted();
                    context.Telemetry.Completed.Add(1, experimentTag);
                }
                else
                {
                    // Another worker completed it in the meantime.
                    progress.AddSkipped();
                    context.Telemetry.Skipped.Add(1, experimentTag);
                }

                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                if (executed)
                {
                    progress.AddInterrupted();
                    context.Telemetry.Interrupted.Add(1, experimentTag);
                }

                throw;
            }
            catch (ClaimLostException)
            {
                Log.ClaimLost(context.Logger, Name, point.ComputeHash().ToString());
                return;
            }
            catch (Exception error)
            {
                activity?.SetStatus(ActivityStatusCode.Error, error.Message);
                Log.RunFailed(context.Logger, Name, point.ComputeHash().ToString(), attempt, context.Options.MaxAttempts, error.Message);
                if (!executed || attempt >= context.Options.MaxAttempts)
                {
                    progress.AddFailed();
                    context.Telemetry.Failed.Add(1, experimentTag);
                    return;
                }

                // The failed row is claimable again: the next attempt is a plain retry.
                force = false;
            }
        }
    }

    public override async Task DryRunAsync(SweepContext context, TextWriter output, CancellationToken cancellationToken)
    {
        var sweep = ResolveSweep(context.Arguments);
        var fingerprint = RunnerFingerprints.For(typeof(TRunner));
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await output.WriteLineAsync($"{Name} v{Descriptor.Version}: {(sweep.IsIndexable ? sweep.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} points (dry run: nothing is run)").ConfigureAwait(false);
        foreach (var chunk in sweep.Chunk(Chunk))
        {
            var hashes = chunk.Select(static p => p.ComputeHash().ToString()).ToArray();
            var statuses = await context.Store.Ledger.GetStatusesAsync(Name, Descriptor.Version, hashes, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                var info = statuses.TryGetValue(hashes[i], out var found) ? found : (RunStatusInfo?)null;
                var verdict = Explain(info, Decide(info, fingerprint, context.Options.OnCodeChange));
                counts[verdict.Split(':')[0]] = counts.GetValueOrDefault(verdict.Split(':')[0]) + 1;
                await output.WriteLineAsync($"  {hashes[i]}  {verdict,-44}  {Describe(chunk[i])}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync("  " + string.Join(", ", counts.Select(static c => $"{c.Value} {c.Key}"))).ConfigureAwait(false);
    }

    private static string Explain(RunStatusInfo? info, Decision decision) => (info, decision) switch
    {
        (null, _) => "run: new",
        (_, Decision.Skip) => "skip: completed",
        (_, Decision.SkipCodeChanged) => "skip: completed, runner code changed (Warn)",
        (_, Decision.Rerun) => "run: completed, runner code changed (Rerun)",
        ({ Status: RunStatus.Failed } i, _) => $"run: failed before ({i.Attempt} attempts), retry",
        ({ Status: RunStatus.Interrupted }, _) => "run: interrupted, resume",
        ({ Status: RunStatus.Running }, _) => "run: running elsewhere or orphaned",
        _ => "run: pending",
    };

    private static string Describe(T point)
        => string.Join(" ", point.ToFlat().Select(static f => $"{f.Key}={FlatJson.ToJsonText(f.Value)}"));

    private sealed class CodeChangeTally
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public string? Example { get; private set; }

        public void Add(string hash)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                Example = hash;
            }
        }
    }
}
