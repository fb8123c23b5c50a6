namespace ExperimentKit;

/// <summary>
/// One long-lived append stream of a JSON-lines file. Each line is written whole with a single write and
/// then handed to the OS, so a process crash can only tear the very last line. Not thread-safe: the
/// <see cref="RunContext"/> serializes calls.
/// </summary>
internal sealed class JsonLinesWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly Durability _durability;

    private JsonLinesWriter(FileStream stream, Durability durability)
    {
        _stream = stream;
        _durability = durability;
    }

    /// <summary>The file written.</summary>
    internal string Path => _stream.Name;

    /// <summary>
    /// Opens (or creates) <paramref name="path"/> for appending. A torn last line left by a crashed attempt
    /// (bytes after the last newline) is cut off first, so the lines appended now do not glue onto it and
    /// turn it into a garbled line in the middle of the file.
    /// </summary>
    internal static JsonLinesWriter Open(string path, Durability durability)
    {
        // bufferSize 0: every Write goes straight to the OS as one write call.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            long keep = EndOfLastCompleteLine(stream);
            if (keep != stream.Length)
            {
                if (IsCompleteJson(stream, keep))
                {
                    // A whole value that only lacks its newline (written by another tool): keep it.
                    stream.Seek(0, SeekOrigin.End);
                    stream.WriteByte((byte)'\n');
                }
                else
                {
                    stream.SetLength(keep);
                }
            }

            stream.Seek(0, SeekOrigin.End);
            return new JsonLinesWriter(stream, durability);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one line: <paramref name="jsonWithNewline"/> is one JSON value followed by a single newline.</summary>
    internal void WriteLine(ReadOnlySpan<byte> jsonWithNewline)
    {
        _stream.Write(jsonWithNewline);
        _stream.Flush();
    }

    /// <summary>Flushes to the OS, and to the disk under <see cref="Durability.Full"/>.</summary>
    internal void Flush()
    {
        _stream.Flush(flushToDisk: _durability == Durability.Full);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    /// <summary>Whether the bytes from <paramref name="start"/> to the end are one whole JSON value.</summary>
    private static bool IsCompleteJson(FileStream stream, long start)
    {
        long size = stream.Length - start;
        if (size > 1 << 20)
        {
            return false;
        }

        var tail = new byte[size];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(tail);
        if (tail.AsSpan().Trim(" \t\r"u8).IsEmpty)
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(tail);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The length of the file up to and including its last newline (0 when it has none).</summary>
    private static long EndOfLastCompleteLine(FileStream stream)
    {
        long length = stream.Length;
        if (length == 0)
        {
            return 0;
        }

        Span<byte> block = stackalloc byte[4096];
        long end = length;
        while (end > 0)
        {
            int size = (int)Math.Min(block.Length, end);
            long start = end - size;
            stream.Seek(start, SeekOrigin.Begin);
            stream.ReadExactly(block[..size]);
            int newline = block[..size].LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }
}
