using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExperimentKit.Hosting;

/// <summary>The exit codes of a sweep process.</summary>
public static class ExitCodes
{
    /// <summary>Every point is completed or skipped.</summary>
    public const int Success = 0;

    /// <summary>Some run failed (it is retried on the next start).</summary>
    public const int RunFailed = 1;

    /// <summary>Bad configuration or arguments: nothing was run.</summary>
    public const int BadConfiguration = 2;

    /// <summary>Interrupted (Ctrl+C, SIGTERM): running runs were recorded Interrupted and resume on the next start.</summary>
    public const int Interrupted = 130;
}

/// <summary>
/// Runs every registered experiment's sweep: skips completed points in bulk, runs the rest on
/// <see cref="ExperimentKitOptions.MaxParallelism"/> runners, shows progress, and stops the host when done
/// with an exit code that says how it went.
/// </summary>
internal sealed class SweepWorker(
    IServiceProvider services,
    IOptions<ExperimentKitOptions> options,
    IEnumerable<ExperimentRegistration> registrations,
    WorkerArguments arguments,
    ExperimentKitTelemetry telemetry,
    IHostApplicationLifetime lifetime,
    ILogger<SweepWorker> logger) : BackgroundService
{
    private SweepProgress? _current;

    /// <summary>Where <c>--dry-run</c> writes its listing; null (the default) writes to <see cref="Console.Out"/>.</summary>
    internal TextWriter? DryRunOutput { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and print its banner) before the first line of progress.
        await Task.Yield();
        int exitCode;
        try
        {
            exitCode = await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Log.Unexpected(logger, error);
            exitCode = ExitCodes.RunFailed;
        }

        Environment.ExitCode = exitCode;
        Log.AllDone(logger, exitCode);
        if (exitCode != ExitCodes.Success || options.Value.StopWhenDone)
        {
            lifetime.StopApplication();
        }
    }

    internal async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await RunSweepsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped anywhere: while opening the ledger, during a dry run, or mid-sweep.
            Log.Stopping(logger, _current?.Interrupted ?? 0);
            return ExitCodes.Interrupted;
        }
    }

    private async Task<int> RunSweepsAsync(CancellationToken stoppingToken)
    {
        ExperimentKitOptions settings;
        try
        {
            settings = options.Value;
        }
        catch (OptionsValidationException error)
        {
            Log.BadConfiguration(logger, string.Join(" ", error.Failures));
            return ExitCodes.BadConfiguration;
        }
        catch (InvalidOperationException error)
        {
            // The configuration binder could not convert a value (say Durability=Fast).
            Log.BadConfiguration(logger, $"{error.Message} Allowed values: Backend = Sqlite | Postgres; Durability = Normal | Full; OnCodeChange = Warn | Rerun | Ignore; times as hh:mm:ss.");
            return ExitCodes.BadConfiguration;
        }

        var experiments = registrations.ToList();
        if (experiments.Count == 0)
        {
            Log.BadConfiguration(logger, "No experiment is registered: call builder.Services.AddExperimentKit(configuration).AddExperiment<TParams, TRunner>(sweep).");
            return ExitCodes.BadConfiguration;
        }

        try
        {
            foreach (var experiment in experiments)
            {
                experiment.Validate(arguments);
            }

            arguments.ThrowIfUnclaimed(experiments.Select(static e => e.Descriptor).ToList());
        }
        catch (ArgumentException error)
        {
            Log.BadConfiguration(logger, error.Message);
            return ExitCodes.BadConfiguration;
        }

        ExperimentStore store;
        IRunLedger? ownLedger = null;
        try
        {
            if (settings.Backend == LedgerBackend.Sqlite)
            {
                store = await ExperimentStore.OpenAsync(settings.Root, settings.ToStoreOptions(), stoppingToken).ConfigureAwait(false);
            }
            else if (services.GetServices<IRunLedgerFactory>().LastOrDefault(f => f.Backend == settings.Backend) is { } factory)
            {
                ownLedger = await factory.OpenAsync(settings, stoppingToken).ConfigureAwait(false);
                store = await ExperimentStore.OpenAsync(settings.Root, ownLedger, settings.ToStoreOptions()).ConfigureAwait(false);
            }
            else
            {
                Log.BadConfiguration(logger, $"{ExperimentKitOptions.SectionName}:Backend is {settings.Backend}, but no {settings.Backend} ledger is registered: "
                    + "add the ExperimentKit.Postgres package and call builder.Services.AddExperimentKit(configuration).AddPostgresLedger().");
                return ExitCodes.BadConfiguration;
            }
        }
        catch (LedgerOpenException error)
        {
            await DisposeQuietlyAsync(ownLedger).ConfigureAwait(false);
            Log.LedgerUnavailable(logger, error.Message);
            return ExitCodes.BadConfiguration;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await DisposeQuietlyAsync(ownLedger).ConfigureAwait(false);
            Log.BadConfiguration(logger, $"{ExperimentKitOptions.SectionName}:Root \"{settings.Root}\" cannot be used: {error.Message}");
            return ExitCodes.BadConfiguration;
        }

        // A ledger from a factory is not the store's: it is disposed after the store.
        var ledgerScope = new LedgerScope(ownLedger);
        await using var disposeLedger = ledgerScope.ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            var context = new SweepContext(store, settings, services.GetRequiredService<IServiceScopeFactory>(), arguments, telemetry, logger);
            if (arguments.DryRun)
            {
                foreach (var experiment in experiments)
                {
                    await experiment.DryRunAsync(context, DryRunOutput ?? Console.Out, stoppingToken).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            using var reporting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var reporter = ReportAsync(settings.ProgressInterval, reporting.Token);
            var failed = 0L;
            try
            {
                foreach (var experiment in experiments)
                {
                    var progress = await experiment.RunAsync(context, p => _current = p, stoppingToken).ConfigureAwait(false);
                    failed += progress.Failed;
                }

                if (!settings.StopWhenDone)
                {
                    await ServeAsync(context, experiments, stoppingToken).ConfigureAwait(false);
                }
            }
            finally
            {
                await reporting.CancelAsync().ConfigureAwait(false);
                await reporter.ConfigureAwait(false);
            }

            return failed > 0 ? ExitCodes.RunFailed : ExitCodes.Success;
        }
    }

    private static async Task DisposeQuietlyAsync(IRunLedger? ledger)
    {
        if (ledger is not null)
        {
            await ledger.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Disposes a ledger the worker opened through an <see cref="IRunLedgerFactory"/>.</summary>
    private readonly struct LedgerScope(IRunLedger? ledger) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ledger?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>
    /// Service mode: take sweeps submitted to the ledger's queue, one at a time, until the host stops (SIGTERM
    /// under systemd). A submission that cannot run is recorded Failed with the reason, and the worker goes on.
    /// </summary>
    private async Task ServeAsync(SweepContext context, List<ExperimentRegistration> experiments, CancellationToken stoppingToken)
    {
        var owner = RunOwner.NewForCurrentProcess();
        var names = experiments.Select(static e => e.Name).ToArray();
        Log.Serving(logger, context.Store.Ledger.Description, string.Join(", ", names));
        while (!stoppingToken.IsCancellationRequested)
        {
            var submission = await context.Store.Ledger.TakeSubmissionAsync(names, owner, stoppingToken).ConfigureAwait(false);
            if (submission is null)
            {
                await Task.Delay(context.Options.QueuePollInterval, stoppingToken).ConfigureAwait(false);
                continue;
            }

            Log.SubmissionTaken(logger, submission.Id, submission.Experiment, string.Join(" ", submission.Assignments));
            var experiment = experiments.First(e => e.Name == submission.Experiment);
            SweepProgress progress;
            try
            {
                progress = await experiment.RunSubmissionAsync(context, submission.Assignments, p => _current = p, stoppingToken).ConfigureAwait(false);
            }
            catch (ArgumentException error)
            {
                Log.SubmissionRejected(logger, submission.Id, submission.Experiment, error.Message);
                await context.Store.Ledger.FinishSubmissionAsync(submission.Id, SubmissionStatus.Failed, error.Message, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var outcome = progress.Failed > 0 ? SubmissionStatus.Failed : SubmissionStatus.Done;
            await context.Store.Ledger.FinishSubmissionAsync(submission.Id, outcome, progress.Failed > 0 ? $"{progress.Failed} runs failed" : null, CancellationToken.None).ConfigureAwait(false);
        }

        // A service only ever ends by being stopped. The loop can see the stop between two calls (not inside
        // one), so report it the same way as a stop that interrupted a call: exit code 130, never 0.
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>A live line on an interactive terminal; a log line every interval when output is redirected.</summary>
    private async Task ReportAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var live = !Console.IsErrorRedirected;
        var wrote = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(live ? TimeSpan.FromMilliseconds(250) : interval, cancellationToken).ConfigureAwait(false);
                if (_current is not { } p)
                {
                    continue;
                }

                if (live)
                {
                    var line = p.Line();
                    var width = Math.Max(20, SafeWindowWidth() - 1);
                    await Console.Error.WriteAsync("\r" + (line.Length > width ? line[..width] : line.PadRight(width))).ConfigureAwait(false);
                    wrote = true;
                }
                else
                {
                    Log.Progress(logger, p.Done, p.TotalText, p.Skipped, p.Running, p.Failed, p.Rate, p.Eta);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (wrote)
        {
            await Console.Error.WriteLineAsync().ConfigureAwait(false);
        }
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}
