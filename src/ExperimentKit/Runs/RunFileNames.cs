namespace ExperimentKit;

/// <summary>The rules for names a runner chooses: JSON-lines stream names and artifact names.</summary>
internal static class RunFileNames
{
    /// <summary>The longest stream name accepted.</summary>
    internal const int MaxStreamNameLength = 100;

    /// <summary>
    /// Checks a stream name: <c>[A-Za-z0-9_.-]+</c>, at most <see cref="MaxStreamNameLength"/> characters,
    /// not starting with a dot, not <c>metrics</c> (in any case: that file belongs to <c>Log</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The name breaks a rule; the message says which.</exception>
    internal static void ValidateStream(string stream, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(stream, parameterName);
        if (stream.Length == 0)
        {
            throw new ArgumentException("A stream name is required (for example \"events\" for events.jsonl).", parameterName);
        }

        if (stream.Length > MaxStreamNameLength)
        {
            throw new ArgumentException($"The stream name '{stream[..20]}...' has {stream.Length} characters; at most {MaxStreamNameLength} are allowed.", parameterName);
        }

        foreach (char c in stream)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                throw new ArgumentException($"The stream name '{stream}' contains '{c}'; only letters A-Z and a-z, digits, '_', '.' and '-' are allowed.", parameterName);
            }
        }

        if (stream[0] == '.')
        {
            throw new ArgumentException($"The stream name '{stream}' starts with '.'; names start with a letter, digit, '_' or '-'.", parameterName);
        }

        if (string.Equals(stream, "metrics", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The stream name 'metrics' is reserved for RunContext.Log (metrics.jsonl); choose another name.", parameterName);
        }

        if (AtomicFile.IsTempName(stream))
        {
            throw new ArgumentException($"The stream name '{stream}' contains '{AtomicFile.TempMarker}', which marks temporary files.", parameterName);
        }
    }

    /// <summary>
    /// Checks an artifact name and returns it with <c>/</c> separators. A name is a relative path inside
    /// <c>files/</c>: sub-folders are allowed (<c>plots/loss.png</c>), <c>\</c> counts as a separator on every
    /// system, and empty, rooted, drive-qualified (<c>C:</c>), <c>.</c>/<c>..</c> or empty segments are refused.
    /// </summary>
    /// <exception cref="ArgumentException">The name breaks a rule; the message says which.</exception>
    internal static string NormalizeArtifact(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Trim().Length == 0)
        {
            throw new ArgumentException("An artifact name is required (for example \"plots/loss.png\").", parameterName);
        }

        if (name[0] is '/' or '\\' || Path.IsPathRooted(name))
        {
            throw new ArgumentException($"The artifact name '{name}' is an absolute path; use a path relative to the run's files/ folder (for example \"plots/loss.png\").", parameterName);
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The artifact name '{name}' contains ':' (a drive or stream name); use a relative path without ':'.", parameterName);
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The artifact name '{name}' contains a control character (U+{(int)c:X4}).", parameterName);
            }
        }

        string[] segments = name.Split('/', '\\');
        foreach (string segment in segments)
        {
            if (segment.Length == 0)
            {
                throw new ArgumentException($"The artifact name '{name}' has an empty path segment (a doubled or trailing separator).", parameterName);
            }

            if (segment is "." or "..")
            {
                throw new ArgumentException($"The artifact name '{name}' contains a '{segment}' segment; names must stay inside the run's files/ folder.", parameterName);
            }

            if (segment.Trim().Length == 0 || segment.EndsWith(' ') || segment.EndsWith('.'))
            {
                throw new ArgumentException($"The artifact name '{name}' has a segment ending in a space or '.', which Windows cannot store.", parameterName);
            }
        }

        if (AtomicFile.IsTempName(segments[^1]))
        {
            throw new ArgumentException($"The artifact name '{name}' contains '{AtomicFile.TempMarker}', which marks temporary files.", parameterName);
        }

        return string.Join('/', segments);
    }

    /// <summary>The full path of <paramref name="normalizedName"/> under <paramref name="filesDirectory"/>, checked to stay inside it.</summary>
    /// <exception cref="ArgumentException">The path resolves outside the folder.</exception>
    internal static string ResolveInside(string filesDirectory, string normalizedName, string parameterName)
    {
        string root = Path.GetFullPath(filesDirectory);
        string rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        string full = Path.GetFullPath(Path.Combine(root, normalizedName.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(rootWithSeparator, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw new ArgumentException($"The artifact name '{normalizedName}' resolves outside the run's files/ folder.", parameterName);
        }

        return full;
    }
}
