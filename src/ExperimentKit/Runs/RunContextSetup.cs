namespace ExperimentKit;

/// <summary>Everything the store hands a <see cref="RunContext"/> when an attempt starts.</summary>
/// <param name="Root">The store root (absolute).</param>
/// <param name="Row">The claimed row (Running, owned by this process).</param>
/// <param name="IsResume">Whether the attempt resumes an interrupted or orphaned one.</param>
/// <param name="Options">The store options.</param>
internal sealed record RunContextSetup(string Root, RunRow Row, bool IsResume, ExperimentStoreOptions Options);
