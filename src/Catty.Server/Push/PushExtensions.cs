namespace Catty.Server.Push;

internal static class PushExtensions
{
    public static IServiceCollection AddPush(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section)
            .Validate(o => o.AllowedEndpoints.All(p => PushEndpointPolicy.Allowed(p.Replace("://*.", "://x.", StringComparison.Ordinal), [p]) is not null),
                "Catty:Push:AllowedEndpoints: each entry must be an absolute http(s) URL prefix.")
            .Validate(o => o.MaxSubscriptionsPerUser > 0 && o.PresenceTimeout > TimeSpan.Zero && o.ExpiryWarning >= TimeSpan.Zero && o.MinInterval >= TimeSpan.Zero,
                "Catty:Push: MaxSubscriptionsPerUser and PresenceTimeout must be positive, ExpiryWarning and MinInterval not negative.")
            .Validate(o => o.TimeToLiveSeconds >= 0 && o.DeliveryTimeout > TimeSpan.Zero, "Catty:Push: TimeToLiveSeconds must not be negative, DeliveryTimeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<PushSender>();
        services.AddSingleton<PushPresence>();
        services.AddSingleton<PushNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<PushNotifier>());
        // Never follows a redirect: a push service's answer must not lead the server anywhere else.
        services.AddHttpClient(PushSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return services;
    }
}
