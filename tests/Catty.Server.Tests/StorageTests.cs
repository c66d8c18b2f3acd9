using Catty.Sdk.Api;
using Catty.Server.Storage;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Catty.Server.Tests;

/// <summary>The SQLite database in the data directory is built and upgraded by migrations.</summary>
public sealed class StorageTests
{
    [Fact]
    public async Task A_fresh_data_directory_gets_every_migration_in_its_history()
    {
        await using var server = await CattyTestServer.StartAsync();

        var (all, applied, pending) = await server.WithDbAsync(async db =>
            (db.Database.GetMigrations().ToList(), (await db.Database.GetAppliedMigrationsAsync()).ToList(), (await db.Database.GetPendingMigrationsAsync()).ToList()));

        Assert.True(all.Count >= 2, string.Join(", ", all));
        Assert.Equal(all, applied);
        Assert.Empty(pending);
        Assert.True(File.Exists(Path.Combine(server.DataDir.Path, "catty.db")));
    }

    [Fact]
    public async Task A_database_left_by_an_older_version_is_upgraded_at_start_and_keeps_its_rows()
    {
        using var data = new TestDataDir();
        var options = new DbContextOptionsBuilder<SqliteCattyDbContext>().UseSqlite($"Data Source={Path.Combine(data.Path, "catty.db")};Pooling=False").Options;
        string first;
        await using (var old = new SqliteCattyDbContext(options))
        {
            first = old.Database.GetMigrations().First();
            await old.GetService<IMigrator>().MigrateAsync(first);
            // Raw SQL: today's model has columns that the first migration's table lacks.
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO users (id, email, created_at) VALUES ({0}, 'earlier@example.com', 0)", Guid.NewGuid().ToString().ToUpperInvariant());
            Assert.Equal([first], await old.Database.GetAppliedMigrationsAsync());
        }

        await using var server = await CattyTestServer.StartAsync(s => s.DataDir = data);

        var (pending, kept) = await server.WithDbAsync(async db =>
            ((await db.Database.GetPendingMigrationsAsync()).ToList(), await db.Users.AnyAsync(u => u.Email == "earlier@example.com")));
        Assert.Empty(pending);
        Assert.True(kept, "the upgrade lost a row");
        var session = await server.CreateShellAsync();
        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label)).Status);
    }

    [Fact]
    public async Task The_database_refuses_a_second_session_with_the_same_label()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();

        var duplicate = await Assert.ThrowsAsync<DbUpdateException>(() => server.WithDbAsync(async db =>
        {
            var original = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == session.SessionId);
            db.Sessions.Add(new SessionRecord
            {
                Id = Guid.NewGuid(),
                Label = original.Label,
                OwnerId = original.OwnerId,
                Agent = original.Agent,
                Region = original.Region,
                Runtime = original.Runtime,
                Status = SessionStatus.Stopped,
                MachineState = MachineState.Destroyed,
                MachineId = "0123456789ab",
                CreatedAt = original.CreatedAt,
                ExpiresAt = original.ExpiresAt,
                TtlSec = original.TtlSec,
            });
            return await db.SaveChangesAsync();
        }));

        Assert.Contains("UNIQUE", duplicate.InnerException?.Message ?? "", StringComparison.Ordinal);
    }
}
