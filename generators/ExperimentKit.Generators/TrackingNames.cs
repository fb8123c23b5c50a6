namespace ExperimentKit.Generators;

/// <summary>Names of pipeline steps, so tests can check each one is cached.</summary>
internal static class TrackingNames
{
    public const string Experiments = nameof(Experiments);
    public const string Groups = nameof(Groups);
    public const string Models = nameof(Models);
    public const string GroupModels = nameof(GroupModels);
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>Each class or struct declaration with a base list: its runner model, or null when it is not a runner.</summary>
    public const string RunnerCandidates = nameof(RunnerCandidates);

    /// <summary>The runner models alone.</summary>
    public const string Runners = nameof(Runners);

    /// <summary>All runners of the compilation, once each, in order: the input of the one emitted file.</summary>
    public const string RunnerSet = nameof(RunnerSet);
}
