using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>A prepared, reused command and its parameters, addressed by position (no lookups by name per call).</summary>
/// <remarks>Used only under the ledger's lock: SQLite keeps the compiled statement between calls.</remarks>
internal sealed class SqliteStatement : IDisposable
{
    private readonly SqliteParameter[] _parameters;

    public SqliteStatement(SqliteConnection connection, string sql, params ReadOnlySpan<string> parameterNames)
    {
        Command = connection.CreateCommand();
        Command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            _parameters[i] = Command.Parameters.Add(new SqliteParameter(parameterNames[i], DBNull.Value));
        }

        Command.Prepare();
    }

    /// <summary>The command.</summary>
    public SqliteCommand Command { get; }

    /// <summary>Sets the parameter at <paramref name="index"/> (null is SQL NULL).</summary>
    public SqliteStatement Set(int index, object? value)
    {
        _parameters[index].Value = value ?? DBNull.Value;
        return this;
    }

    /// <summary>Sets a text parameter.</summary>
    public SqliteStatement Set(int index, string? value)
    {
        _parameters[index].Value = value is null ? DBNull.Value : value;
        return this;
    }

    /// <summary>Sets an integer parameter.</summary>
    public SqliteStatement Set(int index, long value)
    {
        _parameters[index].Value = value;
        return this;
    }

    /// <summary>Sets an optional integer parameter.</summary>
    public SqliteStatement Set(int index, long? value)
    {
        _parameters[index].Value = value.HasValue ? value.Value : DBNull.Value;
        return this;
    }

    /// <summary>Runs the command for its row count.</summary>
    public int Execute() => Command.ExecuteNonQuery();

    /// <summary>Runs the command for its rows.</summary>
    public SqliteDataReader Query() => Command.ExecuteReader();

    /// <inheritdoc />
    public void Dispose() => Command.Dispose();
}
