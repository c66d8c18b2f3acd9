namespace Catty.Server.Scheduling;

internal static class SchedulingExtensions
{
    /// <summary>Recovery on start, a watcher per running agent, and the periodic deadline/inactivity check.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.Interval > TimeSpan.Zero, "Catty:Scheduling:Interval must be positive.")
            .Validate(o => o.InactivityLimit >= TimeSpan.Zero, "Catty:Scheduling:InactivityLimit must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<SessionWatchers>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionWatchers>());
        services.AddHostedService<SessionRecovery>();
        services.AddSingleton<SessionScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionScheduler>());
        return services;
    }
}
