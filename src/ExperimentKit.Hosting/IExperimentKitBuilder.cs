using Microsoft.Extensions.DependencyInjection;

namespace ExperimentKit.Hosting;

/// <summary>What <c>AddExperimentKit</c> returns: add experiments to it.</summary>
public interface IExperimentKitBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

internal sealed class ExperimentKitBuilder(IServiceCollection services) : IExperimentKitBuilder
{
    public IServiceCollection Services { get; } = services;
}
