using System.Collections.Concurrent;
using System.ComponentModel;

namespace ExperimentKit;

/// <summary>
/// The code fingerprint of each runner class: a hash of its source tokens (comments and white space do not
/// count), registered at start-up by generated module initializers. A completed run made by other runner
/// code can then be reported, re-run or ignored.
/// </summary>
public static class RunnerFingerprints
{
    private static readonly ConcurrentDictionary<Type, string> Known = new();

    /// <summary>Records a runner's fingerprint (called by generated code).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register(Type runnerType, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(runnerType);
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        Known[runnerType] = fingerprint;
    }

    /// <summary>The fingerprint of a runner class, or null when the generator did not see it.</summary>
    public static string? For(Type runnerType)
    {
        ArgumentNullException.ThrowIfNull(runnerType);
        return Known.TryGetValue(runnerType, out var fingerprint) ? fingerprint : null;
    }
}
