using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExperimentKit.Hosting;

/// <summary>Registers ExperimentKit's sweep worker.</summary>
public static class ExperimentKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sweep worker, binding <see cref="ExperimentKitOptions"/> from the <c>ExperimentKit</c> section of
    /// <paramref name="configuration"/>. Sweeps come from code (<see cref="AddExperiment{TParams, TRunner}"/>),
    /// from <c>ExperimentKit:Sweeps:{experiment}</c>, or from <c>Member=v1,v2</c> command-line arguments.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application configuration.</param>
    /// <param name="args">The command-line arguments (default: this process's own, <see cref="Environment.GetCommandLineArgs"/>).</param>
    /// <returns>A builder to add experiments to.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IExperimentKitBuilder AddExperimentKit(this IServiceCollection services, IConfiguration configuration, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ExperimentKitOptions>().Bind(configuration.GetSection(ExperimentKitOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExperimentKitOptions>, ExperimentKitOptionsValidator>());
        services.TryAddSingleton(new WorkerArguments(args ?? Environment.GetCommandLineArgs().Skip(1).ToArray(), configuration));
        services.TryAddSingleton<ExperimentKitTelemetry>();
        services.AddHostedService<SweepWorker>();
        return new ExperimentKitBuilder(services);
    }

    /// <summary>
    /// Registers an experiment and its runner (resolved from DI per run, in its own scope), with the sweep to
    /// run unless configuration or the command line give one. Experiments run in the order they are added.
    /// </summary>
    /// <typeparam name="TParams">The <c>[Experiment]</c> parameter type.</typeparam>
    /// <typeparam name="TRunner">The runner.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="sweep">The sweep from code, or null to take it from configuration or the command line.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IExperimentKitBuilder AddExperiment<TParams, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRunner>(this IExperimentKitBuilder builder, Sweep<TParams>? sweep = null)
        where TParams : IExperimentParameters<TParams>
        where TRunner : class, IExperimentRunner<TParams>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<TRunner>();
        builder.Services.AddSingleton<ExperimentRegistration>(new ExperimentRegistration<TParams, TRunner>(sweep));
        return builder;
    }
}
