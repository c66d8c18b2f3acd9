namespace Catty.Server.Push;

/// <summary><c>GET /v1/push/key</c>: the VAPID public key browsers subscribe with.</summary>
internal static class PushEndpoints
{
    public static IEndpointRouteBuilder MapPush(this IEndpointRouteBuilder app)
    {
        var push = app.MapGroup("/v1/push").RequireAuthorization(Auth.AuthExtensions.ApiPolicy).WithTags("Push");
        push.MapGet("/key", (VapidKeys keys) => TypedResults.Ok(new PushKeyResponse(keys.PublicKey)))
            .WithName("GetPushKey").WithSummary("The VAPID public key (base64url) for PushManager.subscribe's applicationServerKey.");
        return app;
    }
}

/// <summary>Answer of <c>GET /v1/push/key</c>.</summary>
internal sealed record PushKeyResponse(string PublicKey);
