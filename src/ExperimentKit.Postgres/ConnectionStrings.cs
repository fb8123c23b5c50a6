using Npgsql;

namespace ExperimentKit.Postgres;

/// <summary>Keeps passwords out of descriptions, logs and error messages.</summary>
internal static class ConnectionStrings
{
    /// <summary><c>host:port/database</c> and the schema: enough to find the ledger, nothing secret.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder, string? schema)
        => $"PostgreSQL ledger {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}" + (schema is null ? string.Empty : $" (schema {schema})");

    /// <summary>Removes the password of <paramref name="connectionString"/> from a message (a driver message may quote a bad value).</summary>
    public static string Redact(string message, string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return message;
        }

        message = message.Replace(connectionString, "(connection string)", StringComparison.Ordinal);
        foreach (var part in connectionString.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim().Trim('\'', '"');
            if (value.Length > 0 && (key.Equals("Password", StringComparison.OrdinalIgnoreCase) || key.Equals("Pwd", StringComparison.OrdinalIgnoreCase)))
            {
                message = message.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
