using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Replicas;

/// <summary>The PostgreSQL metadata store: its own migrations, and start-up failures an operator can act on.</summary>
public sealed class PostgresStorageTests
{
    [Fact]
    public async Task A_fresh_database_gets_every_postgres_migration_and_keys_are_kept_in_it()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.UsePostgres());
        await server.CreateShellAsync();

        var (provider, all, applied, keys, sessions) = await server.WithDbAsync(async db =>
            (db.Database.ProviderName, db.Database.GetMigrations().ToList(), (await db.Database.GetAppliedMigrationsAsync()).ToList(),
                await db.SharedKeys.Select(k => k.Name).ToListAsync(), await db.Sessions.CountAsync()));

        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", provider);
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Contains(Catty.Server.Auth.ServerKey.Name, keys);
        Assert.Equal(1, sessions);
        Assert.False(File.Exists(Path.Combine(server.DataDir.Path, "catty.db")));
        Assert.False(File.Exists(Path.Combine(server.DataDir.Path, Catty.Server.Auth.ServerKey.Name)));
    }

    [Fact]
    public async Task An_unreachable_database_stops_the_server_with_a_message_naming_the_connection_and_no_stack_trace()
    {
        using var data = new TestDataDir();
        var closedPort = ClosedPort();

        var (exitCode, output) = await ServerProcess.RunToFailureAsync(data.Path, new Dictionary<string, string>
        {
            ["Catty__Database__Provider"] = "postgres",
            ["ConnectionStrings__Catty"] = $"Host=127.0.0.1;Port={closedPort};Username=catty;Password=hunter2-secret;Database=catty;Timeout=5",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains($"ConnectionStrings:Catty (127.0.0.1:{closedPort}/catty as catty)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_provider_or_a_missing_connection_string_is_refused_at_start()
    {
        var unknown = await Assert.ThrowsAnyAsync<Exception>(() => CattyTestServer.StartAsync(s => s.Settings["Catty:Database:Provider"] = "mysql"));
        Assert.Contains("Catty:Database:Provider must be sqlite or postgres, not 'mysql'", unknown.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAnyAsync<Exception>(() => CattyTestServer.StartAsync(s => s.Settings["Catty:Database:Provider"] = "postgres"));
        Assert.Contains("ConnectionStrings:Catty is empty", missing.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
