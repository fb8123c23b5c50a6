using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ExperimentKit.Postgres.Tests;

/// <summary>
/// The PostgreSQL server the tests use: the one <c>EXPERIMENTKIT_POSTGRES</c> names, or a private cluster started
/// here (initdb in a temp folder, 127.0.0.1 only, a free port, trust authentication) when the PostgreSQL server
/// binaries are installed. As root (CI containers), initdb and pg_ctl run as the <c>postgres</c> user, since
/// initdb refuses to run as root. Each cluster is stopped by its own data folder when the test process ends.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable with a connection string to a server the tests may create schemas on.</summary>
    public const string EnvironmentVariable = "EXPERIMENTKIT_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(() => StartOrFindAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private bool _stopped;

    private PostgresServer(string connectionString, string? dataDirectory, string? binDirectory)
    {
        ConnectionString = connectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        if (dataDirectory is not null)
        {
            // The last line of defence: never leave a cluster running after the test process.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        }
    }

    /// <summary>A connection string to a database the tests may use.</summary>
    public string ConnectionString { get; }

    /// <summary>Whether this is a private cluster the tests may restart.</summary>
    public bool IsPrivate => _dataDirectory is not null;

    /// <summary>The server shared by the tests of this process.</summary>
    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    /// <summary>
    /// The environment variable that chooses the PostgreSQL server binaries for a private cluster: a folder holding
    /// <c>initdb</c> and <c>pg_ctl</c>, or <c>none</c> to never start one (as on a machine without PostgreSQL).
    /// Unset: <c>PATH</c>, then <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    public const string BinariesVariable = "EXPERIMENTKIT_POSTGRES_BIN";

    private static readonly Lazy<string?> UnavailableReason = new(FindUnavailableReason, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Why no server can be had, or null when one can: <c>EXPERIMENTKIT_POSTGRES</c> names a server that does not
    /// accept TCP connections, or it is unset and no server binaries are found. Checked once per test process.
    /// </summary>
    public static string? Unavailable() => UnavailableReason.Value;

    private static string? FindUnavailableReason()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return Unreachable(given) is { } where
                ? $"No PostgreSQL server: {EnvironmentVariable} names {where}, which does not accept connections. Start that server or unset {EnvironmentVariable}."
                : null;
        }

        return FindBinaries() is not null
            ? null
            : $"No PostgreSQL server: set {EnvironmentVariable} to a connection string, or install the PostgreSQL server (apt-get install postgresql) so the tests start a private one"
              + (Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } bin
                  ? bin.Equals("none", StringComparison.OrdinalIgnoreCase) ? $" ({BinariesVariable}=none: no private cluster)." : $" ({BinariesVariable}={bin} has no initdb and pg_ctl)."
                  : ".");
    }

    /// <summary>The first host:port of the connection string when none of its TCP hosts accepts a connection, else null.</summary>
    private static string? Unreachable(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null; // Let the tests report the bad connection string.
        }

        var hosts = (builder.Host ?? "localhost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? first = null;
        foreach (var entry in hosts)
        {
            if (entry.StartsWith('/') || entry.StartsWith('@'))
            {
                return null; // A Unix socket: let the tests connect.
            }

            var host = entry;
            var port = builder.Port;
            var colon = entry.LastIndexOf(':');
            if (colon > 0 && !entry.EndsWith(']') && int.TryParse(entry[(colon + 1)..], out var p))
            {
                host = entry[..colon];
                port = p;
            }

            host = host.Trim('[', ']');
            first ??= $"{host}:{port}";
            try
            {
                using var client = new TcpClient();
                if (client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(3)))
                {
                    return null;
                }
            }
            catch (AggregateException)
            {
                // Refused or unresolvable: try the next host.
            }
        }

        return first;
    }

    /// <summary>Whether a missing server must fail the tests rather than skip them (CI sets it).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("EXPERIMENTKIT_REQUIRE_ALL_TESTS") == "1";

    /// <summary>Starts a new private cluster (for a test that restarts it).</summary>
    public static Task<PostgresServer> StartPrivateAsync()
        => FindBinaries() is { } bin
            ? StartClusterAsync(bin)
            : throw new InvalidOperationException($"The PostgreSQL server binaries are not installed (or {BinariesVariable}=none): a private cluster cannot be started.");

    /// <summary>Whether the PostgreSQL server binaries are installed (a private cluster can be started).</summary>
    public static bool CanStartPrivate => FindBinaries() is not null;

    private static async Task<PostgresServer> StartOrFindAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            // A named server that refuses connections fails every test at once, rather than each after the ledger's retries.
            return Unavailable() is { } reason ? throw new InvalidOperationException(reason) : new PostgresServer(given, null, null);
        }

        return FindBinaries() is { } bin
            ? await StartClusterAsync(bin)
            : throw new InvalidOperationException(Unavailable());
    }

    /// <summary><c>pg_ctl restart</c>: every connection drops, committed data stays.</summary>
    public async Task RestartAsync()
    {
        if (_dataDirectory is null)
        {
            throw new InvalidOperationException("Only a private cluster is restarted.");
        }

        await RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), "-D", _dataDirectory, "-w", "-t", "60", "-m", "fast", "-l", Path.Combine(_dataDirectory, "server.log"), "restart");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        lock (this)
        {
            if (_stopped || _dataDirectory is null)
            {
                return;
            }

            _stopped = true;
        }

        try
        {
            RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), "-D", _dataDirectory, "-w", "-m", "fast", "stop").GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        // The cluster is stopped; its folder goes too (best effort: a test process being torn down may not get that far).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } chosen)
        {
            return !chosen.Equals("none", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(chosen, "initdb")) && File.Exists(Path.Combine(chosen, "pg_ctl"))
                ? chosen
                : null;
        }

        // PATH first (initdb is not on it on Debian), then the Debian/Ubuntu layout, newest version first.
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian))
        {
            return null;
        }

        return Directory.GetDirectories(debian)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static async Task<PostgresServer> StartClusterAsync(string bin)
    {
        RemoveStoppedClusters();
        var folder = Path.Combine(Path.GetTempPath(), "exk-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:", folder);
        }

        await RunAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");

        // Tests need no durability across power loss: fsync off keeps two busy cores from waiting on the disk.
        var port = FreePort();
        var settings = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c track_functions=pl";
        await RunAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-w", "-t", "60", "-o", settings, "-l", Path.Combine(data, "server.log"), "start");
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
        return new PostgresServer(connectionString, data, bin);
    }

    /// <summary>
    /// Removes the folders of private clusters that earlier test runs stopped but could not delete (a test host
    /// may be torn down right after its clusters stop): ours by name, stopped (no postmaster.pid), and old.
    /// </summary>
    private static void RemoveStoppedClusters()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "exk-pg-*"))
        {
            try
            {
                var data = Path.Combine(folder, "data");
                if (!File.Exists(Path.Combine(data, "postmaster.pid")) && Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddMinutes(-10))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or in use: leave it.
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool (as the postgres user when we are root) and fails with its output if it fails.</summary>
    private static async Task RunAsync(string tool, params string[] args)
    {
        var asPostgres = IsRoot && tool != "chown";
        var info = new ProcessStartInfo(asPostgres ? "runuser" : tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", tool })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', args)} failed ({process.ExitCode}): {await output} {await error}");
        }
    }

    /// <summary>Drops a schema the tests created (best effort).</summary>
    public async Task DropSchemaAsync(string schema)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
        }
    }

    /// <summary>A fresh schema name for one test.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];
}
