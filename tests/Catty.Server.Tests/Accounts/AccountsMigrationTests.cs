using Catty.Server.Storage;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Catty.Server.Tests.Accounts;

public sealed class AccountsMigrationTests
{
    [Fact]
    public async Task A_database_from_before_accounts_keeps_its_one_user_as_the_owner()
    {
        using var data = new TestDataDir();
        var options = new DbContextOptionsBuilder<SqliteCattyDbContext>().UseSqlite($"Data Source={Path.Combine(data.Path, "catty.db")}").Options;
        var ownerId = Guid.NewGuid();
        await using (var db = new SqliteCattyDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261125163813_Snapshots");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO users (id, email, created_at) VALUES ({0}, 'owner@localhost', 1700000000000)", ownerId.ToString().ToUpperInvariant());
        }

        SqliteConnection.ClearAllPools();
        await using var server = await CattyTestServer.StartAsync(s => s.DataDir = data);

        var me = await server.Client.GetMeAsync();
        Assert.Equal((ownerId, "owner@localhost", "owner"), (me.User.Id, me.User.Email, me.User.Role));
        Assert.Equal(1, await server.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Empty(await server.Client.ListAllSessionsAsync());
    }
}
