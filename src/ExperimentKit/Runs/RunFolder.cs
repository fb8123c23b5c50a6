namespace ExperimentKit;

/// <summary>
/// A run's folder, <c>{root}/{experiment}/{uid:D4}-{hash}/</c>: <c>params.json</c>, <c>run.json</c>,
/// <c>result{ext}</c>, <c>metrics.jsonl</c>, <c>{stream}.jsonl</c>, <c>checkpoints/</c> and <c>files/</c> (the
/// last two created by the first checkpoint or artifact).
/// Only the run holding the claim writes it; every file that is ever rewritten is replaced atomically.
/// </summary>
internal sealed class RunFolder
{
    internal const string ParamsFileName = "params.json";
    internal const string StatusFileName = "run.json";
    internal const string CheckpointsFolderName = "checkpoints";
    internal const string FilesFolderName = "files";
    internal const string ResultFileStem = "result";

    private RunFolder(string root, string relativeDirectory, string directory, string resultExtension, Durability durability)
    {
        Root = root;
        RelativeDirectory = relativeDirectory;
        Directory = directory;
        ResultPath = Path.Combine(directory, ResultFileStem + resultExtension);
        Durability = durability;
    }

    /// <summary>The store root (absolute).</summary>
    internal string Root { get; }

    /// <summary><c>{experiment}/{uid:D4}-{hash}</c>, with <c>/</c> separators.</summary>
    internal string RelativeDirectory { get; }

    /// <summary>The run's folder (absolute).</summary>
    internal string Directory { get; }

    /// <summary><c>result{ext}</c>.</summary>
    internal string ResultPath { get; }

    /// <summary>How hard writes are pushed to the disk.</summary>
    internal Durability Durability { get; }

    /// <summary>Whether <see cref="Prepare"/> created the folder (no earlier attempt wrote into it).</summary>
    internal bool IsNew { get; private set; }

    internal string CheckpointsDirectory => Path.Combine(Directory, CheckpointsFolderName);

    internal string FilesDirectory => Path.Combine(Directory, FilesFolderName);

    internal string MetricsPath => Path.Combine(Directory, MetricsLog.FileName);

    internal string ParamsPath => Path.Combine(Directory, ParamsFileName);

    internal string StatusPath => Path.Combine(Directory, StatusFileName);

    /// <summary>The experiment folder, <c>{root}/{experiment}</c> (home of <c>_components/</c>).</summary>
    internal string ExperimentDirectory => Path.GetDirectoryName(Directory)!;

    /// <summary>
    /// Creates the folder (idempotent) and, when it already existed, removes temporary files a crashed attempt
    /// left behind in it and in <c>files/</c>. Call only while holding the run's claim.
    /// </summary>
    /// <remarks>
    /// <c>checkpoints/</c> and <c>files/</c> are not created here: the first checkpoint or artifact creates its
    /// folder, so a run that saves neither costs two directories less (directory creation is one of the dearest
    /// steps of a short run). A folder that did not exist holds no leftovers, so it is not scanned.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The root is empty, or the experiment name would put the folder outside the root.</exception>
    /// <exception cref="IOException">The folder cannot be created.</exception>
    internal static RunFolder Prepare(string root, RunRow row, ExperimentStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(options);

        string fullRoot = Path.GetFullPath(root);
        string directory = RunPaths.Directory(fullRoot, row);
        string rootWithSeparator = Path.EndsInDirectorySeparator(fullRoot) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        if (!directory.StartsWith(rootWithSeparator, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            || string.Equals(Path.GetDirectoryName(directory), fullRoot.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new ArgumentException($"The experiment name '{row.Key.Experiment}' puts the run folder outside the store root; use names like 'train' or 'mnist/cnn/train'.", nameof(row));
        }

        var folder = new RunFolder(fullRoot, row.RelativeDirectory, directory, options.ResultExtensionFor(row.Key.Experiment), options.Durability);
        if (!System.IO.Directory.Exists(directory))
        {
            // A new run (the usual case): nothing to clean up.
            System.IO.Directory.CreateDirectory(directory);
            folder.IsNew = true;
            return folder;
        }

        // An earlier attempt (resumed, or run again by force) may have left temporary files behind.
        RemoveTempFiles(folder.Directory, SearchOption.TopDirectoryOnly);
        if (System.IO.Directory.Exists(folder.FilesDirectory))
        {
            RemoveTempFiles(folder.FilesDirectory, SearchOption.AllDirectories);
        }

        return folder;
    }

    /// <summary>Writes <c>params.json</c>: experiment, version, hash, exact params, canonical JSON, component hashes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="row"/>'s params JSON is not valid JSON.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    internal void WriteParams(RunRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        AtomicFile.WriteAllBytes(ParamsPath, RunFolderJson.WriteParams(row), Durability);
    }

    /// <summary>Writes <c>run.json</c>, the snapshot of <paramref name="row"/> (call at every transition).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    internal void WriteStatus(RunRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        AtomicFile.WriteAllBytes(StatusPath, RunFolderJson.WriteStatus(row, DateTimeOffset.UtcNow), Durability);
    }

    /// <summary>A path under the root, relative to it with <c>/</c> separators.</summary>
    internal string RelativeToRoot(string fullPath)
        => Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Rebuilds a run's row from its folder (<c>run.json</c> and <c>params.json</c>), for ledger rebuilds.
    /// Never throws on a bad folder and never changes it.
    /// </summary>
    /// <returns>The row, or null when either file is missing, unreadable or garbled, or they disagree.</returns>
    internal static RunRow? TryReadStatus(string runDirectory)
    {
        if (string.IsNullOrEmpty(runDirectory))
        {
            return null;
        }

        byte[]? status = TryReadAllBytes(Path.Combine(runDirectory, StatusFileName));
        byte[]? parameters = TryReadAllBytes(Path.Combine(runDirectory, ParamsFileName));
        return status is null || parameters is null ? null : RunFolderJson.TryReadStatus(status, parameters);
    }

    private static byte[]? TryReadAllBytes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > 64L << 20)
            {
                return null;
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            return null;
        }
    }

    private static void RemoveTempFiles(string directory, SearchOption option)
    {
        try
        {
            foreach (string file in System.IO.Directory.EnumerateFiles(directory, "*" + AtomicFile.TempMarker + "*", option))
            {
                AtomicFile.TryDelete(file);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leftovers are harmless: readers ignore them and the next attempt tries again.
        }
    }
}
