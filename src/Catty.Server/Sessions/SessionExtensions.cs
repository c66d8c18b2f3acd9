
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
            .Validate(o => o.MaxRunningPerHost >= 0, "Catty:Sessions:MaxRunningPerHost must not be negative.")
            .ValidateOnStart();
        services.AddOptions<SessionLimitsOptions>().BindConfiguration(SessionLimitsOptions.Section)
            .Validate(o => o.Problems().Count == 0, "Catty:Sessions:Limits: MemoryMb and Pids are 0 or at least 32, none is negative, TmpMb fits in MemoryMb.")
            .ValidateOnStart();
        services.AddSingleton<SessionStopper>();
        services.AddSingleton<SessionReconciler>();
        services.AddSingleton<SessionViews>();
        services.AddScoped<SessionStarter>();
        return services;
    }
}
