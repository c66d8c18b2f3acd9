namespace Catty.Server.Attention;

internal static class AttentionExtensions
{
    public static IServiceCollection AddAttention(this IServiceCollection services)
    {
        services.AddSingleton<AttentionBoard>();
        services.AddSingleton<AttentionWatchers>();
        services.AddHostedService(sp => sp.GetRequiredService<AttentionWatchers>());
        return services;
    }
}
