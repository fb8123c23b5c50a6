using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ExperimentKit;

/// <summary>
/// What a runner gets for one attempt of one run: its identity, its folder, and append-only places to put
/// metrics, checkpoints, artifacts and logs. Everything it writes lands in the run's folder, which only the
/// claim holder writes.
/// </summary>
/// <remarks>
/// <para>Every member may be called from several tasks at once. Each <see cref="Log(long, string, double)"/> or
/// <see cref="Append{T}(string, T, JsonTypeInfo{T})"/> call writes one whole line with a single write and hands
/// it to the operating system before returning, so a crash of the process loses nothing already logged and can
/// tear only the last line, which every reader ignores. Under <see cref="Durability.Full"/> the lines are also
/// flushed to the disk when the context is flushed or disposed.</para>
/// <para>Non-finite metric values are written as the JSON strings <c>"NaN"</c>, <c>"Infinity"</c> and
/// <c>"-Infinity"</c> (JSON has no such numbers); <see cref="MetricsLog"/> reads them back as doubles, and
/// pandas' <c>read_json(path, lines=True)</c> still loads the file.</para>
/// </remarks>
public sealed class RunContext : IAsyncDisposable
{
    private readonly RunContextSetup _setup;
    private readonly RunFolder _folder;
    private readonly object _gate = new();
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private readonly Utf8JsonWriter _json;
    private readonly Dictionary<string, JsonLinesWriter> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _summary = new(StringComparer.Ordinal);
    private JsonLinesWriter? _metrics;
    private bool _disposed;

    internal RunContext(RunContextSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _setup = setup;
        _folder = RunFolder.Prepare(setup.Root, setup.Row, setup.Options);
        _json = new Utf8JsonWriter(_line, MetricJson.CompactOptions);
        Checkpoints = new CheckpointStore(_folder.CheckpointsDirectory, setup.Options);
        Components = new ComponentCache(_folder.ExperimentDirectory, setup.Row.ComponentHashes);
    }

    /// <summary>The experiment name.</summary>
    public string Experiment => _setup.Row.Key.Experiment;

    /// <summary>The experiment version.</summary>
    public int Version => _setup.Row.Key.Version;

    /// <summary>The per-experiment sequence number.</summary>
    public long Uid => _setup.Row.Uid;

    /// <summary>The 16-hex params hash.</summary>
    public string Hash => _setup.Row.Key.Hash;

    /// <summary>1 for the first attempt.</summary>
    public int Attempt => _setup.Row.Attempt;

    /// <summary>Whether this attempt continues one that was interrupted or whose process died: look for a checkpoint.</summary>
    /// <remarks>On a resume, <c>metrics.jsonl</c> and the streams keep the earlier attempts' lines (a torn last line
    /// is cut off first), so steps after the checkpoint may appear twice; the later line is the current one.</remarks>
    public bool IsResume => _setup.IsResume;

    /// <summary>The run's folder.</summary>
    public string RunDirectory => _folder.Directory;

    /// <summary>Where the runner writes its main result (<c>result{ext}</c> in the run folder).</summary>
    /// <remarks>The runner writes this file itself; write to a temporary name and rename if a half-written result
    /// must never be seen.</remarks>
    public string ResultPath => _folder.ResultPath;

    /// <summary>Summary metrics, stored in the ledger when the run completes.</summary>
    /// <remarks>Thread-safe.</remarks>
    public IDictionary<string, double> Summary => _summary;

    /// <summary>The run's checkpoints.</summary>
    public CheckpointStore Checkpoints { get; }

    /// <summary>Folders shared by every run with the same component hash.</summary>
    public ComponentCache Components { get; }

    /// <summary>The row the attempt was started with.</summary>
    internal RunRow Row => _setup.Row;

    /// <summary>The run folder.</summary>
    internal RunFolder Folder => _folder;

    /// <summary>The artifacts added so far: name (with <c>/</c> separators) → path relative to the root.</summary>
    internal IReadOnlyDictionary<string, string> Files
        => new SortedDictionary<string, string>(_files, StringComparer.Ordinal);

    /// <summary>Appends one metric at a step to <c>metrics.jsonl</c>.</summary>
    /// <param name="step">The step, 0 or more.</param>
    /// <param name="name">The metric name; any text except <c>step</c> and <c>time</c>.</param>
    /// <param name="value">The value; NaN and infinities are written as strings.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty, <c>step</c> or <c>time</c>.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Log(long step, string name, double value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ValidateMetricName(name, nameof(name));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            BeginMetricsLine(step);
            MetricJson.WriteNumber(_json, name, value);
            EndLine(_metrics ??= JsonLinesWriter.Open(_folder.MetricsPath, _folder.Durability));
        }
    }

    /// <summary>Appends several metrics at one step to <c>metrics.jsonl</c> as one line.</summary>
    /// <param name="step">The step, 0 or more.</param>
    /// <param name="values">The metrics by name (none may be <c>step</c> or <c>time</c>); an empty dictionary writes nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">A name is empty, <c>step</c> or <c>time</c>.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Log(long step, IReadOnlyDictionary<string, double> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var name in values.Keys)
        {
            ValidateMetricName(name, nameof(values));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (values.Count == 0)
            {
                return;
            }

            BeginMetricsLine(step);
            foreach (var (name, value) in values)
            {
                MetricJson.WriteNumber(_json, name, value);
            }

            EndLine(_metrics ??= JsonLinesWriter.Open(_folder.MetricsPath, _folder.Durability));
        }
    }

    /// <summary>Appends any value to <c>{stream}.jsonl</c> (trimming-safe through its <see cref="JsonTypeInfo{T}"/>).</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="stream">The stream name: <c>[A-Za-z0-9_.-]+</c>, not starting with '.', at most 100
    /// characters, not <c>metrics</c>. Read the file back with <see cref="JsonLines.ReadAsync{T}(string, JsonTypeInfo{T}, CancellationToken)"/>.</param>
    /// <param name="value">The value (not null), written as one line of compact JSON.</param>
    /// <param name="typeInfo">How to write a <typeparamref name="T"/> (from a source-generated <c>JsonSerializerContext</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> or <paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> breaks the naming rule.</exception>
    /// <exception cref="InvalidOperationException">The serialized value contains a raw line break (a custom converter wrote one).</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Append<T>(string stream, T value, JsonTypeInfo<T> typeInfo)
    {
        RunFileNames.ValidateStream(stream, nameof(stream));
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), "A stream line must hold a value, not null.");
        }

        ArgumentNullException.ThrowIfNull(typeInfo);

        // Serialize outside the lock: only the write itself is serialized between tasks.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, MetricJson.CompactOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        if (buffer.WrittenSpan.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            throw new InvalidOperationException($"The JSON of the {typeof(T).Name} appended to '{stream}' contains a raw line break; a JSON-lines record must be one line.");
        }

        buffer.Write("\n"u8);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_streams.TryGetValue(stream, out var lines))
            {
                lines = JsonLinesWriter.Open(Path.Combine(_folder.Directory, stream + ".jsonl"), _folder.Durability);
                _streams.Add(stream, lines);
            }

            lines.WriteLine(buffer.WrittenSpan);
        }
    }

    /// <summary>Writes a named artifact into <c>files/</c>; names that escape the folder are refused.</summary>
    /// <param name="name">A relative path inside <c>files/</c>: sub-folders are allowed (<c>plots/loss.png</c>);
    /// <c>/</c> and <c>\</c> both separate folders. Empty names, rooted or drive paths (<c>/etc/passwd</c>,
    /// <c>C:\x</c>), <c>.</c> or <c>..</c> segments, and names containing <c>.tmp-</c> are refused.</param>
    /// <param name="write">Writes the content into the stream it is given (a temporary file, renamed to the final
    /// name when it returns, replacing an artifact of the same name).</param>
    /// <param name="cancellationToken">Stops the write; nothing appears under the name.</param>
    /// <returns>The artifact's absolute path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="write"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a safe relative name; the message says why.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<string> AddFileAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        string normalized = RunFileNames.NormalizeArtifact(name, nameof(name));
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);

        string full = RunFileNames.ResolveInside(_folder.FilesDirectory, normalized, nameof(name));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await AtomicFile.WriteAsync(full, AtomicFile.TempPathFor(full), write, _folder.Durability, cancellationToken).ConfigureAwait(false);
        _files[normalized] = _folder.RelativeToRoot(full);
        return full;
    }

    /// <summary>A copy of <see cref="Summary"/>.</summary>
    internal IReadOnlyDictionary<string, double> SummarySnapshot()
        => new SortedDictionary<string, double>(_summary, StringComparer.Ordinal);

    /// <summary>Flushes every open log to the OS, and to the disk under <see cref="Durability.Full"/>.</summary>
    /// <exception cref="IOException">A flush failed.</exception>
    internal Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_disposed)
            {
                _metrics?.Flush();
                foreach (var lines in _streams.Values)
                {
                    lines.Flush();
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Flushes and closes <c>metrics.jsonl</c> and every stream; later writes throw <see cref="ObjectDisposedException"/>.</summary>
    /// <exception cref="IOException">A final flush failed (every file is closed anyway).</exception>
    public ValueTask DisposeAsync()
    {
        List<Exception>? errors = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            Volatile.Write(ref _disposed, true);
            foreach (var lines in _metrics is null ? _streams.Values : _streams.Values.Prepend(_metrics))
            {
                try
                {
                    lines.Dispose();
                }
                catch (IOException ex)
                {
                    (errors ??= []).Add(ex);
                }
            }

            _streams.Clear();
            _metrics = null;
            _json.Dispose();
        }

        return errors switch
        {
            null => ValueTask.CompletedTask,
            [var single] => ValueTask.FromException(single),
            _ => ValueTask.FromException(new AggregateException("Closing the run's logs failed.", errors)),
        };
    }

    private static void ValidateMetricName(string name, string parameterName)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A metric name is required.", parameterName);
        }

        if (name is MetricJson.StepKey or MetricJson.TimeKey)
        {
            throw new ArgumentException($"'{name}' is a reserved key of metrics.jsonl lines; choose another metric name.", parameterName);
        }
    }

    private void BeginMetricsLine(long step)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        _json.WriteStartObject();
        _json.WriteNumber(MetricJson.StepKey, step);
        _json.WriteString(MetricJson.TimeKey, MetricJson.FormatTime(DateTimeOffset.UtcNow));
    }

    private void EndLine(JsonLinesWriter target)
    {
        _json.WriteEndObject();
        _json.Flush();
        _line.Write("\n"u8);
        target.WriteLine(_line.WrittenSpan);
    }
}
