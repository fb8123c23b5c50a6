using Npgsql;

namespace ExperimentKit.Cli;

/// <summary>
/// <c>postgres://user:password@host:port/database?sslmode=require</c> (libpq's URI form) as an Npgsql connection
/// string. Several hosts (<c>h1:5432,h2:5433</c>), <c>[::1]</c>, percent-encoding and the query parameters
/// <c>sslmode</c>, <c>application_name</c>, <c>connect_timeout</c>, <c>target_session_attrs</c>, <c>user</c>,
/// <c>password</c>, <c>dbname</c>, <c>host</c>, <c>port</c> are understood; any other parameter is taken as an
/// Npgsql keyword (<c>?Pooling=false</c>). Messages never hold the password.
/// </summary>
internal static class PostgresUri
{
    public static bool IsUri(string value)
        => value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URI's password (decoded), or null.</summary>
    public static string? PasswordOf(string uri)
    {
        var (userInfo, _, _, query) = Split(uri);
        string? password = null;
        if (userInfo is not null && userInfo.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            password = Unescape(userInfo[(colon + 1)..]);
        }

        foreach (var (key, value) in Parameters(query))
        {
            if (key == "password")
            {
                password = value;
            }
        }

        return password;
    }

    /// <summary>Converts the URI; a malformed one is an <see cref="ArgumentException"/> whose message names what is wrong but no value.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string uri, string source)
    {
        var (userInfo, hosts, database, query) = Split(uri);
        var builder = new NpgsqlConnectionStringBuilder();
        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Unescape(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Unescape(userInfo[(colon + 1)..]);
            }
        }

        if (hosts.Length > 0)
        {
            SetHosts(builder, Unescape(hosts));
        }

        if (database.Length > 0)
        {
            builder.Database = Unescape(database);
        }

        foreach (var (key, value) in Parameters(query))
        {
            try
            {
                switch (key)
                {
                    case "sslmode": builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true); break;
                    case "application_name": builder.ApplicationName = value; break;
                    case "connect_timeout": builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                    case "target_session_attrs": builder["Target Session Attributes"] = value; break;
                    case "user": builder.Username = value; break;
                    case "password": builder.Password = value; break;
                    case "dbname": builder.Database = value; break;
                    case "host": SetHosts(builder, value); break;
                    case "port": builder.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                    default: builder[key] = value; break;
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or KeyNotFoundException)
            {
                throw new ArgumentException($"the URI parameter '{key}' is unknown or its value is not valid");
            }
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException($"{source} names no host");
        }

        return builder;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        if (hosts.Contains(',', StringComparison.Ordinal))
        {
            builder.Host = hosts; // Npgsql takes host:port,host:port as it is.
            return;
        }

        var host = hosts;
        string? port = null;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException("an IPv6 host is missing its ']'");
            }

            port = close + 1 < host.Length && host[close + 1] == ':' ? host[(close + 2)..] : null;
            host = host[1..close];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            port = host[(colon + 1)..];
            host = host[..colon];
        }

        builder.Host = host;
        if (!string.IsNullOrEmpty(port))
        {
            builder.Port = int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p
                : throw new ArgumentException("the port is not a number from 1 to 65535");
        }
    }

    /// <summary>user-info (raw), hosts (raw), database (raw), query (raw) of the URI.</summary>
    private static (string? UserInfo, string Hosts, string Database, string? Query) Split(string uri)
    {
        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        string? query = null;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? rest[(slash + 1)..] : string.Empty;
        var at = authority.LastIndexOf('@');
        return at >= 0 ? (authority[..at], authority[(at + 1)..], database, query) : (null, authority, database, query);
    }

    private static IEnumerable<(string Key, string Value)> Parameters(string? query)
    {
        foreach (var pair in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0 ? (Unescape(pair), string.Empty) : (Unescape(pair[..equals]), Unescape(pair[(equals + 1)..]));
        }
    }

    private static string Unescape(string value) => Uri.UnescapeDataString(value);
}
