using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catty.Server.Storage;

/// <summary>
/// Tries the configured database once before the server starts, so that an unreachable one is reported as one
/// sentence naming the connection (without its password) instead of a host start-up failure with a stack trace.
/// </summary>
internal static class DatabaseProbe
{
    /// <summary>Null when the database answers (or is the SQLite file, which is created on demand); else what is wrong.</summary>
    public static async Task<string?> ProblemAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres)
        {
            return null;
        }

        // A plain connection rather than the DbContext's: EF would log the failure with its stack trace first.
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is DbException or SocketException or TimeoutException or ArgumentException)
        {
            var reason = ex.InnerException is { } inner && inner is not DbException ? $"{ex.Message} ({inner.Message})" : ex.Message;
            return $"The database {Describe(connectionString)} cannot be reached: {reason}";
        }
    }

    /// <summary>Names the database without its password: <c>ConnectionStrings:Catty (host:port/database as user)</c>.</summary>
    public static string Describe(string? connectionString)
    {
        const string named = "ConnectionStrings:" + DatabaseOptions.ConnectionStringName;
        try
        {
            var parts = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{named} ({parts.Host}:{parts.Port}/{parts.Database} as {parts.Username})";
        }
        catch (ArgumentException)
        {
            return named;
        }
    }
}
