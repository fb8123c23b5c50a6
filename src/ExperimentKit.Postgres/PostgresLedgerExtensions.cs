using ExperimentKit.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExperimentKit.Postgres;

/// <summary>Makes the PostgreSQL ledger available to the hosted sweep worker.</summary>
public static class PostgresLedgerExtensions
{
    /// <summary>
    /// Registers the PostgreSQL ledger. It is used when <c>ExperimentKit:Backend</c> is <c>Postgres</c>; its options bind
    /// from <c>ExperimentKit:Postgres</c> (<see cref="PostgresLedgerOptions"/>), and the connection string, unless set
    /// there or in <paramref name="configure"/>, is <c>ConnectionStrings:ExperimentKit</c>.
    /// </summary>
    /// <param name="builder">What <c>AddExperimentKit</c> returned.</param>
    /// <param name="configure">Sets options in code (after configuration).</param>
    /// <returns>The builder.</returns>
    public static IExperimentKitBuilder AddPostgresLedger(this IExperimentKitBuilder builder, Action<PostgresLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PostgresLedgerOptions>().BindConfiguration(PostgresLedgerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunLedgerFactory, PostgresRunLedgerFactory>());
        return builder;
    }
}

/// <summary>Opens the PostgreSQL ledger for the sweep worker.</summary>
internal sealed class PostgresRunLedgerFactory(IOptions<PostgresLedgerOptions> options, IConfiguration configuration, ILoggerFactory loggers) : IRunLedgerFactory
{
    public LedgerBackend Backend => LedgerBackend.Postgres;

    public async Task<IRunLedger> OpenAsync(ExperimentKitOptions settings, CancellationToken cancellationToken)
    {
        PostgresLedgerOptions value;
        try
        {
            value = options.Value;
        }
        catch (InvalidOperationException e)
        {
            throw new LedgerOpenException($"{PostgresLedgerOptions.SectionName} is not valid: {e.Message}", e);
        }

        var effective = new PostgresLedgerOptions
        {
            ConnectionString = value.ConnectionString ?? configuration.GetConnectionString(PostgresLedgerOptions.ConnectionStringName),
            Schema = value.Schema,
            RetryFor = value.RetryFor,
            LeaseOnly = value.LeaseOnly,
        };
        return await PostgresRunLedger.OpenAsync(effective, loggers.CreateLogger<PostgresRunLedger>(), cancellationToken).ConfigureAwait(false);
    }
}
