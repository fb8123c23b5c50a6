using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>
/// Builds the SQL of a <see cref="RunQuery"/>. Every value is a parameter; the only text spliced into the SQL
/// is fixed by this code (column names, operators, JSON type names, parameter names).
/// </summary>
/// <remarks>
/// A <c>where</c> entry compares one member of the exact params JSON: the flat path <c>Model.Layers</c> becomes
/// the JSON path <c>$."Model"."Layers"</c> (each segment quoted, <c>"</c> and <c>\</c> escaped), bound as a
/// parameter. The value's JSON kind decides the test: strings compare as text, numbers numerically
/// (<c>1e-3</c> equals <c>0.001</c>), <c>true</c>/<c>false</c>/<c>null</c> by JSON type, objects and arrays by their
/// minified JSON text. A number never matches a string or a boolean, and a missing member matches nothing.
/// </remarks>
internal static class SqliteRunQuery
{
    private const string Columns = "SELECT {0}, name FROM runs JOIN experiments ON exp_id = experiment_id";

    /// <summary>A command for <paramref name="query"/>, or null when the query cannot match anything.</summary>
    public static SqliteCommand? Build(SqliteConnection connection, RunQuery query)
    {
        if (!LedgerArguments.Query(query))
        {
            return null;
        }

        var command = connection.CreateCommand();
        try
        {
            command.CommandText = Compose(command, query);
            return command;
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    private static string Compose(SqliteCommand command, RunQuery query)
    {
        var sql = new StringBuilder(256);
        sql.AppendFormat(CultureInfo.InvariantCulture, Columns, SqliteRunColumns.Select);
        var and = " WHERE ";

        void Where(string condition)
        {
            sql.Append(and).Append(condition);
            and = " AND ";
        }

        if (query.Experiment is not null)
        {
            Where("experiment_id = (SELECT exp_id FROM experiments WHERE name = $e)");
            command.Parameters.AddWithValue("$e", query.Experiment);
        }

        if (query.Version is { } version)
        {
            Where("version = $v");
            command.Parameters.AddWithValue("$v", version);
        }

        if (query.Statuses is { } statuses)
        {
            var names = new List<string>();
            foreach (var status in statuses.Distinct())
            {
                var name = "$s" + names.Count.ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                command.Parameters.AddWithValue(name, (int)status);
            }

            Where($"status IN ({string.Join(", ", names)})");
        }

        if (query.ComponentHash is not null)
        {
            command.Parameters.AddWithValue("$ch", query.ComponentHash);
            if (query.Component is not null)
            {
                Where("id IN (SELECT run_id FROM run_components WHERE component = $c AND hash = $ch)");
                command.Parameters.AddWithValue("$c", query.Component);
            }
            else
            {
                Where("id IN (SELECT run_id FROM run_components WHERE hash = $ch)");
            }
        }
        else if (query.Component is not null)
        {
            Where("id IN (SELECT run_id FROM run_components WHERE component = $c)");
            command.Parameters.AddWithValue("$c", query.Component);
        }

        if (query.Tag is not null)
        {
            Where("EXISTS (SELECT 1 FROM json_each(tags) WHERE value = $tag)");
            command.Parameters.AddWithValue("$tag", query.Tag);
        }

        if (query.Where is { } where)
        {
            var n = 0;
            foreach (var (path, valueJson) in where)
            {
                var p = "$p" + n.ToString(CultureInfo.InvariantCulture);
                var v = "$w" + n.ToString(CultureInfo.InvariantCulture);
                n++;
                command.Parameters.AddWithValue(p, JsonPath(path));
                Where(Predicate(path, valueJson, p, v, command));
            }
        }

        var direction = query.Descending ? " DESC" : string.Empty;
        sql.Append(query.OrderBy switch
        {
            RunOrder.Created => $" ORDER BY created_ms{direction}, uid{direction}, id{direction}",
            RunOrder.LastUsed => $" ORDER BY last_used_ms{direction}, uid{direction}, id{direction}",
            RunOrder.Uid => $" ORDER BY uid{direction}, id{direction}",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.OrderBy, "Unknown RunQuery.OrderBy."),
        });

        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            command.Parameters.AddWithValue("$limit", limit);
        }

        return sql.ToString();
    }

    /// <summary>The SQLite JSON path of a flat path: <c>Model.Layers</c> → <c>$."Model"."Layers"</c>.</summary>
    public static string JsonPath(string flatPath)
    {
        ArgumentNullException.ThrowIfNull(flatPath);
        var path = new StringBuilder(flatPath.Length + 8).Append('$');
        foreach (var segment in flatPath.Split('.'))
        {
            if (segment.Length == 0)
            {
                throw new ArgumentException($"The where path '{flatPath}' has an empty segment; write flat paths like Model.Layers.", nameof(flatPath));
            }

            path.Append(".\"");
            foreach (var c in segment)
            {
                if (c is '"' or '\\')
                {
                    path.Append('\\');
                }

                path.Append(c);
            }

            path.Append('"');
        }

        return path.ToString();
    }

    private static string Predicate(string path, string? valueJson, string p, string v, SqliteCommand command)
    {
        if (valueJson is null)
        {
            throw new ArgumentException($"The where value of '{path}' is null; give JSON text such as 4, \"mnist\", true or null.");
        }

        JsonTokenType kind;
        string? text = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(valueJson));
            if (!reader.Read())
            {
                throw new JsonException("empty");
            }

            kind = reader.TokenType;
            if (kind == JsonTokenType.String)
            {
                text = reader.GetString();
            }

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

        var member = $"json_extract(params_json, {p})";
        var type = $"json_type(params_json, {p})";
        switch (kind)
        {
            case JsonTokenType.String:
                command.Parameters.AddWithValue(v, text);
                return $"({type} = 'text' AND {member} = {v})";
            case JsonTokenType.Number:
                command.Parameters.AddWithValue(v, valueJson);
                return $"({type} IN ('integer', 'real') AND {member} = json_extract({v}, '$'))";
            case JsonTokenType.True:
                return $"{type} = 'true'";
            case JsonTokenType.False:
                return $"{type} = 'false'";
            case JsonTokenType.Null:
                return $"{type} = 'null'";
            case JsonTokenType.StartObject:
                command.Parameters.AddWithValue(v, valueJson);
                return $"({type} = 'object' AND {member} = json({v}))";
            default:
                command.Parameters.AddWithValue(v, valueJson);
                return $"({type} = 'array' AND {member} = json({v}))";
        }
    }
}
