using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL cluster for the whole test run (scripts/postgres.sh: its own folder under /tmp, its own
/// loopback port, fsync off), started on first use and stopped when the test process exits. Each server a test
/// starts gets a fresh database in it. Missing PostgreSQL binaries fail the tests that need them, with what to run.
/// </summary>
internal sealed class PostgresCluster
{
    private static readonly Lazy<PostgresCluster> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresCluster(string dir, int port, string connectionString)
    {
        Dir = dir;
        Port = port;
        AdminConnectionString = connectionString + ";Database=postgres;Pooling=false";
        ServerConnectionString = connectionString;
    }

    /// <summary>The cluster of this test run, started by the first caller.</summary>
    public static PostgresCluster Shared => Started.Value;

    public string Dir { get; }

    public int Port { get; }

    /// <summary>Host, port and user, without a database.</summary>
    public string ServerConnectionString { get; }

    private string AdminConnectionString { get; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "catty_" + Guid.NewGuid().ToString("N")[..16];
        Run($"CREATE DATABASE {name}");
        return $"{ServerConnectionString};Database={name}";
    }

    /// <summary>Runs one statement as the superuser on the maintenance database.</summary>
    public void Run(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Stops the cluster (fast shutdown) and starts it again on the same folder and port.</summary>
    public void Restart()
    {
        Script("stop", Dir);
        Script("start", Dir, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A cluster of the caller's own (a test that restarts it must not disturb the others); <see cref="Stop"/> it.</summary>
    public static PostgresCluster StartPrivate()
    {
        var dir = Path.Combine("/tmp", "cty-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePort();
        var connectionString = Script("start", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Trim();
        return new PostgresCluster(dir, port, connectionString);
    }

    /// <summary>Stops the cluster and deletes its folder.</summary>
    public void Stop()
    {
        try
        {
            Script("stop", Dir);
        }
        finally
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    private static PostgresCluster Start()
    {
        var cluster = StartPrivate();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Script(params string[] arguments)
    {
        var script = Path.Combine(RepoTools.Root, "scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run scripts/postgres.sh.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Deadline.ProcessStart))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/postgres.sh {string.Join(' ', arguments)} did not finish.");
        }

        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException(
                $"scripts/postgres.sh {string.Join(' ', arguments)} failed ({process.ExitCode}); run `bash scripts/install-deps.sh` for PostgreSQL.\n{stderr.Result}");
    }
}
