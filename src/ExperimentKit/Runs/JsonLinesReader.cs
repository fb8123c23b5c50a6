using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// Reads a JSON-lines file line by line with the rule every reader shares: blank lines are skipped, a last
/// line that does not parse is a torn write and is ignored, and a line that does not parse but is followed
/// by more lines is damage, reported with the file and the line number. Nothing is ever executed or written.
/// </summary>
internal static class JsonLinesReader
{
    /// <summary>Parses one line (without its newline).</summary>
    /// <exception cref="JsonException">The line is not the expected JSON.</exception>
    /// <exception cref="FormatException">The line is not the expected JSON.</exception>
    internal delegate T LineParser<T>(ReadOnlySpan<byte> line);

    private const int InitialBufferSize = 64 * 1024;

    /// <summary>Every parsed line in file order; the file may be appended to while it is read.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line before the last one does not parse.</exception>
    internal static async Task<IReadOnlyList<T>> ReadAsync<T>(string path, LineParser<T> parse, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parse);

        var state = new State<T>(path, parse);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, useAsync: true);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                int start = 0;
                int end = 0;
                while (true)
                {
                    if (end == buffer.Length)
                    {
                        if (start > 0)
                        {
                            buffer.AsSpan(start, end - start).CopyTo(buffer);
                            end -= start;
                            start = 0;
                        }
                        else
                        {
                            // One line longer than the buffer: grow it.
                            byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, end).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                    }

                    int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    end += read;
                    start += state.ConsumeLines(buffer.AsSpan(start, end - start));
                }

                if (start < end)
                {
                    state.Line(buffer.AsSpan(start, end - start));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // A pending failure here belongs to the last line: a torn write, ignored.
        return state.Results;
    }

    private sealed class State<T>(string path, LineParser<T> parse)
    {
        private InvalidDataException? _pending;
        private long _lineNumber;

        public List<T> Results { get; } = [];

        /// <summary>Handles every complete line of <paramref name="text"/>; returns the bytes consumed.</summary>
        public int ConsumeLines(ReadOnlySpan<byte> text)
        {
            int consumed = 0;
            while (true)
            {
                int newline = text[consumed..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    return consumed;
                }

                Line(text.Slice(consumed, newline));
                consumed += newline + 1;
            }
        }

        public void Line(ReadOnlySpan<byte> line)
        {
            _lineNumber++;
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.Trim(" \t"u8).IsEmpty)
            {
                return;
            }

            if (_pending is not null)
            {
                throw _pending;
            }

            try
            {
                Results.Add(parse(line));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidDataException)
            {
                _pending = new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"{path}: line {_lineNumber} is not a valid record ({ex.Message}). Only a torn last line is ignored; this line is followed by more lines, so the file is damaged."),
                    ex);
            }
        }
    }
}
