using System.Security.Cryptography;

namespace ExperimentKit;

/// <summary>
/// Folders shared by every run whose component has the same hash
/// (<c>{root}/{experiment}/_components/{component}/{hash8}/</c>), so expensive preparation runs once.
/// </summary>
/// <remarks>
/// Creation is guarded by a lock file, <c>_components/{component}/{hash8}.lock</c>, opened with
/// <see cref="FileShare.None"/>: on Windows a sharing lock, on Linux and macOS an exclusive <c>flock</c>, both
/// released by the operating system when the holder dies. Lock files are left in place (deleting them would
/// let two processes lock two different files of the same name). A folder under its final name is always
/// complete: <c>create</c> fills <c>{hash8}.tmp-{random}</c>, which is renamed only when it returns.
/// On a file system that does not honour <c>flock</c> (some network file systems) two processes may both run
/// <c>create</c>; the first rename wins and the other folder is discarded, so the result is still complete.
/// </remarks>
public sealed class ComponentCache
{
    /// <summary>The folder, under the experiment folder, that holds every component cache.</summary>
    public const string FolderName = "_components";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly string _componentsDirectory;
    private readonly IReadOnlyDictionary<string, string> _componentHashes;

    internal ComponentCache(string experimentDirectory, IReadOnlyDictionary<string, string> componentHashes)
    {
        ArgumentException.ThrowIfNullOrEmpty(experimentDirectory);
        ArgumentNullException.ThrowIfNull(componentHashes);
        _componentsDirectory = Path.Combine(Path.GetFullPath(experimentDirectory), FolderName);
        _componentHashes = componentHashes;
    }

    /// <summary>
    /// The folder of <paramref name="component"/>'s current hash; <paramref name="create"/> fills it the first
    /// time, once across all processes (the others wait), and a failed or killed <paramref name="create"/> leaves nothing behind.
    /// </summary>
    /// <param name="component">The component name, as in <c>[Component("model")]</c>.</param>
    /// <param name="create">Fills the folder it is given. That folder is a temporary one, renamed to the final
    /// name after <paramref name="create"/> returns: write into it, but do not keep its path.</param>
    /// <param name="cancellationToken">Stops the wait for another process's lock, and is passed to <paramref name="create"/>.</param>
    /// <returns>The absolute path of the finished folder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="component"/> or <paramref name="create"/> is null.</exception>
    /// <exception cref="ArgumentException">The run's parameters have no such component.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting or creating.</exception>
    /// <exception cref="IOException">The folders or the lock file cannot be created.</exception>
    /// <remarks>Whatever <paramref name="create"/> throws propagates after its temporary folder is deleted; the
    /// next call runs it again.</remarks>
    public async Task<string> GetOrCreateAsync(string component, Func<string, CancellationToken, Task> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(create);
        string hash = HashOf(component);

        string parent = Path.Combine(_componentsDirectory, component);
        string final = Path.Combine(parent, hash);
        if (Directory.Exists(final))
        {
            return final;
        }

        Directory.CreateDirectory(parent);
        using (await AcquireAsync(Path.Combine(parent, hash + ".lock"), cancellationToken).ConfigureAwait(false))
        {
            if (Directory.Exists(final))
            {
                return final;
            }

            // We hold the lock, so any temporary folder of this hash is a leftover of a killed create.
            RemoveLeftovers(parent, hash);

            string temp = Path.Combine(parent, hash + AtomicFile.TempMarker + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            Directory.CreateDirectory(temp);
            try
            {
                await create(temp, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                Directory.Move(temp, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Only where the lock is not honoured (some network file systems): another creator finished
                // first. Its folder is complete; ours is discarded.
                TryDeleteDirectory(temp);
            }
            catch
            {
                TryDeleteDirectory(temp);
                throw;
            }

            return final;
        }
    }

    private string HashOf(string component)
    {
        if (_componentHashes.TryGetValue(component, out string? hash))
        {
            if (!IsSafeSegment(component) || !IsSafeSegment(hash))
            {
                throw new ArgumentException($"The component '{component}' (hash '{hash}') cannot be used as a folder name.", nameof(component));
            }

            return hash;
        }

        string known = _componentHashes.Count == 0
            ? "the run's parameters have no [Component] members"
            : "the run's components are " + string.Join(", ", _componentHashes.Keys.Order(StringComparer.Ordinal).Select(k => $"'{k}'"));
        throw new ArgumentException($"Unknown component '{component}': {known}.", nameof(component));
    }

    private static bool IsSafeSegment(string segment)
        => segment.Length > 0
           && segment is not "." and not ".."
           && segment.IndexOfAny(['/', '\\', ':', '\0']) < 0
           && !AtomicFile.IsTempName(segment);

    /// <summary>Opens the lock file exclusively, retrying with a growing delay while another holder has it.</summary>
    private static async Task<FileStream> AcquireAsync(string lockPath, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (IOException ex) when (ex is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
            {
                // Held by another process (or another task of this one).
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
        }
    }

    private static void RemoveLeftovers(string parent, string hash)
    {
        try
        {
            foreach (string directory in Directory.EnumerateDirectories(parent, hash + AtomicFile.TempMarker + "*"))
            {
                TryDeleteDirectory(directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Harmless: they never become the final folder.
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover is cleaned by the next creator of this hash.
        }
    }
}
