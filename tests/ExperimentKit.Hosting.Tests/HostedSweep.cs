using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExperimentKit.Hosting.Tests;

/// <summary>
/// A generic host built the way an application builds it (in-memory configuration instead of files), whose
/// <see cref="SweepWorker"/> a test runs directly: <see cref="SweepWorker.RunAsync"/> returns the exit code
/// without touching the process-wide <see cref="Environment.ExitCode"/>.
/// </summary>
internal sealed class HostedSweep : IDisposable
{
    private readonly IHost _host;

    private HostedSweep(IHost host, CapturedLogs logs, Probe probe)
    {
        _host = host;
        Logs = logs;
        Probe = probe;
    }

    public CapturedLogs Logs { get; }

    public Probe Probe { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The worker the host would start.</summary>
    public SweepWorker Worker => _host.Services.GetServices<IHostedService>().OfType<SweepWorker>().Single();

    /// <summary>Builds a host on <paramref name="root"/>; <paramref name="settings"/> are configuration keys (<c>ExperimentKit:MaxAttempts</c>).</summary>
    public static HostedSweep Create(
        string root,
        Action<IExperimentKitBuilder> experiments,
        IReadOnlyDictionary<string, string?>? settings = null,
        string[]? args = null,
        Probe? probe = null)
    {
        args ??= [];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = args });
        var configuration = new Dictionary<string, string?>
        {
            ["ExperimentKit:Root"] = root,
            ["ExperimentKit:MaxParallelism"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        probe ??= new Probe();
        builder.Services.AddSingleton(probe);
        experiments(builder.Services.AddExperimentKit(builder.Configuration, args));
        return new HostedSweep(builder.Build(), logs, probe);
    }

    /// <summary>A host with the <c>hosted</c> experiment and its <see cref="HostedRunner"/>.</summary>
    public static HostedSweep Create(string root, Sweep<HostedParams>? sweep, IReadOnlyDictionary<string, string?>? settings = null, string[]? args = null, Probe? probe = null)
        => Create(root, kit => kit.AddExperiment<HostedParams, HostedRunner>(sweep), settings, args, probe);

    public Task<int> RunAsync(CancellationToken cancellationToken = default) => Worker.RunAsync(cancellationToken);

    public void Dispose() => _host.Dispose();

    /// <summary>Every run of <typeparamref name="T"/>'s experiment in the ledger under <paramref name="root"/>.</summary>
    public static async Task<IReadOnlyList<RunRecord<T>>> LedgerAsync<T>(string root)
        where T : IExperimentParameters<T>
    {
        await using var store = await ExperimentStore.OpenAsync(root);
        return await store.ListAsync<T>();
    }
}
