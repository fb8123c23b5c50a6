namespace ExperimentKit;

/// <summary>What a sweep needs to know of a recorded run to decide whether to skip it.</summary>
/// <param name="Status">The state.</param>
/// <param name="Attempt">How many attempts were made.</param>
/// <param name="RunnerFingerprint">The fingerprint of the runner code that made the latest attempt, if known.</param>
public readonly record struct RunStatusInfo(RunStatus Status, int Attempt, string? RunnerFingerprint);
