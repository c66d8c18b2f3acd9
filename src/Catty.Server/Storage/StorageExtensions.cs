using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Storage;

internal static class StorageExtensions
{
    /// <summary>The metadata store named by <c>Catty:Database:Provider</c>, migrated at start.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<DataDirectory>();
        services.AddDbContext<SqliteCattyDbContext>((sp, options) =>
            options.UseSqlite($"Data Source={sp.GetRequiredService<DataDirectory>().DatabasePath}"));
        services.AddDbContext<PostgresCattyDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName)));

        // Both contexts are registered and the choice is made when one is asked for, so that configuration added
        // after the services (tests do) still decides.
        services.AddScoped<CattyDbContext>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres
            ? sp.GetRequiredService<PostgresCattyDbContext>()
            : sp.GetRequiredService<SqliteCattyDbContext>());
        services.AddSingleton<ISecretKeyStore>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres
            ? ActivatorUtilities.CreateInstance<DatabaseSecretKeyStore>(sp)
            : ActivatorUtilities.CreateInstance<FileSecretKeyStore>(sp));
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    private sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
        {
            if (options.Provider is not (DatabaseOptions.Sqlite or DatabaseOptions.Postgres))
            {
                return ValidateOptionsResult.Fail($"Catty:Database:Provider must be sqlite or postgres, not '{options.Provider}'.");
            }

            return options.IsPostgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
                ? ValidateOptionsResult.Fail("Catty:Database:Provider is postgres but ConnectionStrings:Catty is empty.")
                : ValidateOptionsResult.Success;
        }
    }
}
