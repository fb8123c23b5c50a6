using System.Globalization;
using System.Text;
using System.Text.Json;
using NpgsqlTypes;

namespace ExperimentKit.Postgres;

/// <summary>
/// Builds the SQL of a <see cref="RunQuery"/>. Every value is a parameter; the only text spliced into the SQL
/// is fixed by this code (column names, operators, parameter names).
/// </summary>
/// <remarks>
/// A <c>where</c> on a scalar (<c>4</c>, <c>"mnist"</c>, <c>true</c>, <c>null</c>) is <c>params_flat @> {"path": value}</c>:
/// jsonb containment compares numbers as numbers (<c>1e-3</c> = <c>0.001</c>, <c>20</c> = <c>20.0</c>) and never
/// matches another JSON kind, and the GIN index on <c>params_flat</c> answers it. An object or array value
/// compares the member's minified JSON text in the exact params (<c>params_json::json #> path</c>), as the
/// SQLite ledger does.
/// </remarks>
internal static class PostgresRunQuery
{
    /// <summary>The SQL and parameters of <paramref name="query"/>, or null when it cannot match anything.</summary>
    public static (string Sql, (string, object?, NpgsqlDbType)[] Parameters)? Build(RunQuery query)
    {
        if (!LedgerArguments.Query(query))
        {
            return null;
        }

        var parameters = new List<(string, object?, NpgsqlDbType)>();
        var sql = new StringBuilder(256).Append($"SELECT {PostgresRunColumns.Select}, e.name FROM runs r JOIN experiments e ON e.exp_id = r.experiment_id");
        var and = " WHERE ";

        void Where(string condition)
        {
            sql.Append(and).Append(condition);
            and = " AND ";
        }

        if (query.Experiment is not null)
        {
            Where("e.name = @e");
            parameters.Add(("e", query.Experiment, NpgsqlDbType.Text));
        }

        if (query.Version is { } version)
        {
            Where("r.version = @v");
            parameters.Add(("v", version, NpgsqlDbType.Integer));
        }

        if (query.Statuses is { } statuses)
        {
            Where("r.status = ANY(@s)");
            parameters.Add(("s", statuses.Distinct().Select(s => (short)s).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Smallint));
        }

        if (query.ComponentHash is not null && query.Component is not null)
        {
            Where("r.component_hashes @> jsonb_build_object(@c::text, @ch::text)");
            parameters.Add(("c", query.Component, NpgsqlDbType.Text));
            parameters.Add(("ch", query.ComponentHash, NpgsqlDbType.Text));
        }
        else if (query.ComponentHash is not null)
        {
            Where("EXISTS (SELECT 1 FROM jsonb_each_text(r.component_hashes) x WHERE x.value = @ch)");
            parameters.Add(("ch", query.ComponentHash, NpgsqlDbType.Text));
        }
        else if (query.Component is not null)
        {
            Where("r.component_hashes ? @c");
            parameters.Add(("c", query.Component, NpgsqlDbType.Text));
        }

        if (query.Tag is not null)
        {
            Where("r.tags @> jsonb_build_array(@tag::text)");
            parameters.Add(("tag", query.Tag, NpgsqlDbType.Text));
        }

        if (query.Where is { } where)
        {
            var n = 0;
            foreach (var (path, valueJson) in where)
            {
                var suffix = n++.ToString(CultureInfo.InvariantCulture);
                Where(Predicate(path, valueJson, suffix, parameters));
            }
        }

        var direction = query.Descending ? " DESC" : string.Empty;
        sql.Append(query.OrderBy switch
        {
            RunOrder.Created => $" ORDER BY r.created{direction}, r.uid{direction}, r.id{direction}",
            RunOrder.LastUsed => $" ORDER BY r.last_used{direction}, r.uid{direction}, r.id{direction}",
            RunOrder.Uid => $" ORDER BY r.uid{direction}, r.id{direction}",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.OrderBy, "Unknown RunQuery.OrderBy."),
        });

        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT @limit");
            parameters.Add(("limit", limit, NpgsqlDbType.Integer));
        }

        return (sql.ToString(), [.. parameters]);
    }

    private static string Predicate(string path, string? valueJson, string suffix, List<(string, object?, NpgsqlDbType)> parameters)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            throw new ArgumentException($"The where path '{path}' has an empty segment; write flat paths like Model.Layers.", nameof(path));
        }

        if (valueJson is null)
        {
            throw new ArgumentException($"The where value of '{path}' is null; give JSON text such as 4, \"mnist\", true or null.");
        }

        JsonTokenType kind;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(valueJson));
            if (!reader.Read())
            {
                throw new JsonException("empty");
            }

            kind = reader.TokenType;
            reader.Skip();
            if (reader.Read())
            {
                throw new JsonException("more than one value");
            }
        }
        catch (JsonException e)
        {
            throw new ArgumentException(
                $"The where value of '{path}' is not JSON text ({valueJson}); give JSON such as 4, 0.001, true, null or \"mnist\" (strings in double quotes).", e);
        }

        var minified = FlatParams.Minify(valueJson);
        if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            parameters.Add(("p" + suffix, segments, NpgsqlDbType.Array | NpgsqlDbType.Text));
            parameters.Add(("w" + suffix, minified, NpgsqlDbType.Text));
            return $"(r.params_json::json #> @p{suffix})::text = @w{suffix}";
        }

        // {"<path>": <value>}: the path as a JSON string, the value as written.
        var document = new StringBuilder().Append('{').Append(JsonSerializerString(path)).Append(':').Append(minified).Append('}').ToString();
        parameters.Add(("w" + suffix, document, NpgsqlDbType.Jsonb));
        return $"r.params_flat @> @w{suffix}";
    }

    private static string JsonSerializerString(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
