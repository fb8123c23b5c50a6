using System.Text.Json;

namespace ExperimentKit.Cli;

/// <summary>A run as JSON for <c>--json</c> output: flat params, summary (non-finite numbers as strings, as in run.json), times in UTC.</summary>
internal static class RunJson
{
    public static void Write(Utf8JsonWriter writer, RunRow row, bool full)
    {
        writer.WriteStartObject();
        WriteIdentity(writer, row);
        writer.WriteString("created", row.Created);
        WriteTime(writer, "started", row.Started);
        WriteTime(writer, "finished", row.Finished);
        writer.WriteString("lastUsed", row.LastUsed);
        if (row.Elapsed is { } elapsed)
        {
            writer.WriteNumber("elapsedSeconds", elapsed.TotalSeconds);
        }
        else
        {
            writer.WriteNull("elapsedSeconds");
        }

        writer.WriteStartObject("params");
        foreach (var field in FlatParams.Of(row).Values)
        {
            writer.WritePropertyName(field.Path);
            writer.WriteRawValue(field.Json, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("summary");
        foreach (var (name, value) in row.Summary.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            WriteNumber(writer, name, value);
        }

        writer.WriteEndObject();
        writer.WriteString("error", row.Error);
        writer.WriteString("note", row.Note);
        writer.WriteStartArray("tags");
        foreach (var tag in row.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteString("folder", row.RelativeDirectory);
        if (full)
        {
            WriteMap(writer, "components", row.ComponentHashes);
            WriteMap(writer, "files", row.Files);
            WriteMap(writer, "metadata", row.Metadata);
            writer.WriteString("resultFile", row.ResultFile);
            writer.WriteString("runnerFingerprint", row.RunnerFingerprint);
            if (row.Owner is { } owner)
            {
                writer.WriteStartObject("owner");
                writer.WriteString("host", owner.Host);
                writer.WriteNumber("pid", owner.ProcessId);
                writer.WriteString("processStart", owner.ProcessStart);
                writer.WriteEndObject();
            }

            WriteTime(writer, "leaseExpires", row.LeaseExpires);
            writer.WritePropertyName("paramsJson");
            writer.WriteRawValue(row.ParamsJson, skipInputValidation: true);
            writer.WriteString("canonicalJson", row.CanonicalJson);
        }

        writer.WriteEndObject();
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, Format.Exact(value));
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteString(name, t);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The fields that name a run, in the order every JSON output of the tool starts with.</summary>
    public static void WriteIdentity(Utf8JsonWriter writer, RunRow row)
    {
        writer.WriteString("experiment", row.Key.Experiment);
        writer.WriteNumber("version", row.Key.Version);
        writer.WriteNumber("uid", row.Uid);
        writer.WriteString("hash", row.Key.Hash);
        writer.WriteString("status", row.Status.ToString());
        writer.WriteNumber("attempt", row.Attempt);
    }

    /// <summary>Writes JSON built by <paramref name="write"/> to a text writer.</summary>
    public static async Task WriteToAsync(TextWriter output, Action<Utf8JsonWriter> write, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray())).ConfigureAwait(false);
    }
}
