using System.Security.Cryptography;

namespace ExperimentKit;

/// <summary>
/// Writes a file under a temporary name in its final folder and renames it into place, so readers see the
/// old file or the new one, never a torn one. Under <see cref="Durability.Full"/> the data is flushed to the
/// disk before the rename and the folder after it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>What every temporary name contains: <c>{final name}.tmp-{random}</c>.</summary>
    internal const string TempMarker = ".tmp-";

    /// <summary>A fresh temporary path next to <paramref name="finalPath"/>.</summary>
    internal static string TempPathFor(string finalPath)
        => finalPath + TempMarker + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Whether a file name is one of our temporary names.</summary>
    internal static bool IsTempName(string fileName) => fileName.Contains(TempMarker, StringComparison.Ordinal);

    /// <summary>Writes <paramref name="content"/> to <paramref name="finalPath"/> atomically.</summary>
    internal static void WriteAllBytes(string finalPath, ReadOnlySpan<byte> content, Durability durability)
    {
        string temp = TempPathFor(finalPath);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(content);
                if (durability == Durability.Full)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            File.Move(temp, finalPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (durability == Durability.Full)
        {
            FileSync.Directory(Path.GetDirectoryName(finalPath)!);
        }
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill <paramref name="tempPath"/>, then renames it to
    /// <paramref name="finalPath"/>. When <paramref name="write"/> throws (or is cancelled) the temporary file
    /// is deleted and nothing appears under the final name.
    /// </summary>
    internal static async Task WriteAsync(
        string finalPath,
        string tempPath,
        Func<Stream, CancellationToken, Task> write,
        Durability durability,
        CancellationToken cancellationToken)
    {
        try
        {
            bool synced = false;
            var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (stream.CanWrite)
                {
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (durability == Durability.Full)
                    {
                        stream.Flush(flushToDisk: true);
                        synced = true;
                    }
                }
            }

            if (durability == Durability.Full && !synced)
            {
                // The writer may have disposed the stream itself: its bytes reached the OS, so sync them through
                // a new handle (fsync applies to the file, not to one handle).
                using var again = new FileStream(tempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
                again.Flush(flushToDisk: true);
            }

            File.Move(tempPath, finalPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }

        if (durability == Durability.Full)
        {
            FileSync.Directory(Path.GetDirectoryName(finalPath)!);
        }
    }

    /// <summary>Deletes a file, ignoring failures (it is retried by the next cleanup).</summary>
    internal static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
