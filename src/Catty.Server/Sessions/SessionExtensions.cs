
namespace Catty.Server.Sessions;

internal static class SessionExtensions
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section)
            .Validate(o => o.MinTtl >= TimeSpan.FromSeconds(1) && o.MinTtl <= o.MaxTtl && o.DefaultTtl >= o.MinTtl && o.DefaultTtl <= o.MaxTtl,
                "Catty:Sessions: need 1 s <= MinTtl <= DefaultTtl <= MaxTtl.")
            .Validate(o => o.MaxRunningPerUser >= 0 && o.MaxSecrets >= 0 && o.MaxCreateBodyBytes > 0 && o.CreatesPerMinute > 0,
                "Catty:Sessions: MaxRunningPerUser and MaxSecrets must not be negative, MaxCreateBodyBytes and CreatesPerMinute must be positive.")
            .Validate(o => o.MaxExtendAhead >= TimeSpan.FromMinutes(1), "Catty:Sessions:MaxExtendAhead must be at least 00:01:00.")
            .ValidateOnStart();
        services.AddOptions<SessionNetworkOptions>().BindConfiguration(SessionNetworkOptions.Section)
            .Validate(o => o.Problem() is null, "Catty:Sessions:Network: Mode must be isolated, host or none, and every Allow entry a CIDR such as 10.20.0.0/16.")
            .ValidateOnStart();
        services.AddSingleton<SessionStopper>();
        services.AddSingleton<SessionReconciler>();
        services.AddSingleton<SessionViews>();
        services.AddScoped<SessionStarter>();
        return services;
    }
}
