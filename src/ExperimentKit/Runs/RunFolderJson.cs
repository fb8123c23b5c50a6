using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// The JSON of <c>params.json</c> and <c>run.json</c>, written and read by hand (no reflection). Times are
/// UTC in ISO 8601 with 7 fractional digits; non-finite summary values are strings as in <c>metrics.jsonl</c>.
/// </summary>
internal static class RunFolderJson
{
    /// <summary>The layout version written as <c>"format"</c> in both files.</summary>
    internal const int Format = 1;

    internal static byte[] WriteParams(RunRow row)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, MetricJson.IndentedOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("experiment", row.Key.Experiment);
            w.WriteNumber("version", row.Key.Version);
            w.WriteString("hash", row.Key.Hash);
            w.WritePropertyName("params");
            try
            {
                // Verbatim: the exact text round-trips to the record, doubles bit for bit.
                w.WriteRawValue(row.ParamsJson);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The params JSON of run {row.Key} is not valid JSON: {ex.Message}", nameof(row), ex);
            }

            w.WriteString("canonical", row.CanonicalJson);
            WriteStrings(w, "components", row.ComponentHashes);
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    internal static byte[] WriteStatus(RunRow row, DateTimeOffset writtenAt)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, MetricJson.IndentedOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("experiment", row.Key.Experiment);
            w.WriteNumber("version", row.Key.Version);
            w.WriteString("hash", row.Key.Hash);
            w.WriteNumber("uid", row.Uid);
            w.WriteString("status", row.Status.ToString());
            w.WriteNumber("attempt", row.Attempt);
            if (row.Owner is { } owner)
            {
                w.WriteStartObject("owner");
                w.WriteString("host", owner.Host);
                w.WriteNumber("pid", owner.ProcessId);
                w.WriteString("processStart", FormatTime(owner.ProcessStart));
                // Kept so a ledger rebuilt from the folders still recognises a live claim's writes.
                w.WriteString("token", owner.Token);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("owner");
            }

            WriteTime(w, "leaseExpires", row.LeaseExpires);
            WriteTime(w, "created", row.Created);
            WriteTime(w, "started", row.Started);
            WriteTime(w, "finished", row.Finished);
            WriteTime(w, "lastUsed", row.LastUsed);
            if (row.Elapsed is { } elapsed)
            {
                w.WriteString("elapsed", elapsed.ToString("c", CultureInfo.InvariantCulture));
                w.WriteNumber("elapsedSeconds", elapsed.TotalSeconds);
            }
            else
            {
                w.WriteNull("elapsed");
                w.WriteNull("elapsedSeconds");
            }

            WriteOptionalString(w, "error", row.Error);
            WriteOptionalString(w, "resultFile", row.ResultFile);
            WriteStrings(w, "files", row.Files);
            w.WriteStartObject("summary");
            foreach (var (name, value) in row.Summary.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                MetricJson.WriteNumber(w, name, value);
            }

            w.WriteEndObject();
            WriteStrings(w, "metadata", row.Metadata);
            WriteOptionalString(w, "runnerFingerprint", row.RunnerFingerprint);
            WriteOptionalString(w, "note", row.Note);
            w.WriteStartArray("tags");
            foreach (string tag in row.Tags)
            {
                w.WriteStringValue(tag);
            }

            w.WriteEndArray();
            w.WriteString("written", FormatTime(writtenAt));
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The row both files describe, or null when either is not what we write or they disagree.</summary>
    internal static RunRow? TryReadStatus(byte[] statusJson, byte[] paramsJson)
    {
        try
        {
            using var status = JsonDocument.Parse(statusJson);
            using var parameters = JsonDocument.Parse(paramsJson);
            var s = status.RootElement;
            var p = parameters.RootElement;
            if (s.ValueKind != JsonValueKind.Object || p.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var key = new RunKey(s.GetProperty("experiment").GetString()!, s.GetProperty("version").GetInt32(), s.GetProperty("hash").GetString()!);
            if (key.Experiment is null || key.Hash is null
                || p.GetProperty("experiment").GetString() != key.Experiment
                || p.GetProperty("version").GetInt32() != key.Version
                || p.GetProperty("hash").GetString() != key.Hash
                || !Enum.TryParse(s.GetProperty("status").GetString(), ignoreCase: true, out RunStatus runStatus)
                || !Enum.IsDefined(runStatus))
            {
                return null;
            }

            var paramsElement = p.GetProperty("params");
            if (paramsElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new RunRow
            {
                Key = key,
                Uid = s.GetProperty("uid").GetInt64(),
                Status = runStatus,
                Attempt = s.GetProperty("attempt").GetInt32(),
                Owner = ReadOwner(s),
                LeaseExpires = ReadTime(s, "leaseExpires"),
                Created = ReadTime(s, "created") ?? throw new FormatException("created"),
                Started = ReadTime(s, "started"),
                Finished = ReadTime(s, "finished"),
                LastUsed = ReadTime(s, "lastUsed") ?? throw new FormatException("lastUsed"),
                Elapsed = OptionalString(s, "elapsed") is { } e ? TimeSpan.ParseExact(e, "c", CultureInfo.InvariantCulture) : null,
                ParamsJson = paramsElement.GetRawText(),
                CanonicalJson = p.GetProperty("canonical").GetString() ?? throw new FormatException("canonical"),
                ComponentHashes = ReadStrings(p, "components"),
                Error = OptionalString(s, "error"),
                ResultFile = OptionalString(s, "resultFile"),
                Files = ReadStrings(s, "files"),
                Summary = ReadNumbers(s, "summary"),
                Metadata = ReadStrings(s, "metadata"),
                RunnerFingerprint = OptionalString(s, "runnerFingerprint"),
                Note = OptionalString(s, "note"),
                Tags = s.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                    ? tags.EnumerateArray().Select(t => t.GetString() ?? throw new FormatException("tags")).ToArray()
                    : [],
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // JsonException, KeyNotFoundException, InvalidOperationException, FormatException, OverflowException...:
            // a garbled or foreign file is "unknown", never a crash of the rebuild.
            return null;
        }
    }

    private static string FormatTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, FormatTime(t));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteOptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static RunOwner? ReadOwner(JsonElement s)
    {
        if (!s.TryGetProperty("owner", out var o) || o.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new RunOwner(
            o.GetProperty("host").GetString() ?? throw new FormatException("owner.host"),
            o.GetProperty("pid").GetInt32(),
            o.GetProperty("processStart").GetDateTimeOffset(),
            OptionalString(o, "token") ?? string.Empty);
    }

    private static DateTimeOffset? ReadTime(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetDateTimeOffset() : null;

    private static string? OptionalString(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetString() : null;

    private static Dictionary<string, string> ReadStrings(JsonElement e, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
        {
            foreach (var property in v.EnumerateObject())
            {
                result[property.Name] = property.Value.GetString() ?? throw new FormatException(name);
            }
        }

        return result;
    }

    private static Dictionary<string, double> ReadNumbers(JsonElement e, string name)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
        {
            foreach (var property in v.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.String => property.Value.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        _ => throw new FormatException(name),
                    },
                    _ => throw new FormatException(name),
                };
            }
        }

        return result;
    }
}
