using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Storage;

internal static class StorageExtensions
{
    /// <summary>SQLite in the data directory, migrated at start.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSingleton<DataDirectory>();
        services.AddDbContext<SqliteCattyDbContext>((sp, options) =>
            options.UseSqlite($"Data Source={sp.GetRequiredService<DataDirectory>().DatabasePath}"));
        services.AddScoped<CattyDbContext>(sp => sp.GetRequiredService<SqliteCattyDbContext>());
        services.AddHostedService<StorageInitializer>();
        return services;
    }
}

/// <summary>Creates the data directory and applies pending migrations before anything else starts.</summary>
internal sealed class StorageInitializer(DataDirectory dataDirectory, IServiceScopeFactory scopes, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        dataDirectory.EnsureCreated();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets the scheduler, watchers and requests write without blocking readers; the setting sticks to the file.
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            foreach (var file in Directory.EnumerateFiles(dataDirectory.Root, Path.GetFileName(dataDirectory.DatabasePath) + "*"))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        logger.LogInformation("Data directory {DataDir}", dataDirectory.Root);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
