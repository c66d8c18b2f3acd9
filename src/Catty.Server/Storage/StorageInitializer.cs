using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Storage;

/// <summary>Creates the data directory and applies pending migrations before anything else starts.</summary>
internal sealed class StorageInitializer(DataDirectory dataDirectory, IServiceScopeFactory scopes, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        dataDirectory.EnsureCreated();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();

        // Replicas starting together on one PostgreSQL database are serialised by EF's migration lock.
        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets the scheduler, watchers and requests write without blocking readers; the setting sticks to the file.
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            foreach (var file in Directory.EnumerateFiles(dataDirectory.Root, Path.GetFileName(dataDirectory.DatabasePath) + "*"))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogInformation("Data directory {DataDir}", dataDirectory.Root);
        }
        else
        {
            logger.LogInformation("Data directory {DataDir}, database {Database}", dataDirectory.Root, DatabaseProbe.Describe(db.Database.GetConnectionString()));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
