using Catty.Server.Runtimes.Local;

namespace Catty.Server.Runtimes;

internal static class RuntimeExtensions
{
    /// <summary>Every runtime this build has; regions pick one by name.</summary>
    public static IServiceCollection AddRuntimes(this IServiceCollection services)
    {
        services.AddLocalRuntime();
        services.AddSingleton<SessionRuntimes>();
        return services;
    }
}
