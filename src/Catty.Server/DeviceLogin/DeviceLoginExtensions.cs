using Catty.Server.Auth;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// Device login for the CLI (RFC 8628) and its tokens, run by OpenIddict: device and user codes, approval,
/// reference access tokens, rotating refresh tokens with reuse detection, all stored hashed in the metadata store.
/// Catty's JSON endpoints (<c>/v1/auth/device</c>, <c>/v1/auth/device/token</c>, <c>/v1/auth/refresh</c>) are OpenIddict
/// endpoints too; <see cref="CattyWireRequests"/> and <see cref="CattyWireResponses"/> translate the wire shape.
/// </summary>
internal static class DeviceLoginExtensions
{
    /// <summary>The one OAuth client: Catty CLIs, public (no secret), device flow and refresh only.</summary>
    public const string CliClientId = "catty-cli";

    public const string DevicePath = "/v1/auth/device";
    public const string DeviceTokenPath = "/v1/auth/device/token";
    public const string RefreshPath = "/v1/auth/refresh";
    public const string VerificationPath = "/device";

    public static IServiceCollection AddDeviceLogin(this IServiceCollection services)
    {
        services.AddSingleton<TokenKeys>();
        services.AddSingleton<DevicePolling>();
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<Storage.CattyDbContext>())
            .AddServer(server =>
            {
                server.SetDeviceAuthorizationEndpointUris(DevicePath[1..], "connect/device")
                    .SetTokenEndpointUris(DeviceTokenPath[1..], RefreshPath[1..], "connect/token")
                    .SetEndUserVerificationEndpointUris(VerificationPath[1..]);
                server.AllowDeviceAuthorizationFlow().AllowRefreshTokenFlow();

                // Opaque tokens: the database keeps their SHA-256 and an encrypted payload, and every use is checked
                // against it, so logout and reuse detection take effect at once.
                server.UseReferenceAccessTokens().UseReferenceRefreshTokens();

                // A spent refresh token presented again revokes the whole login, with no grace period.
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                server.SetUserCodeCharset([.. "BCDFGHJKLMNPQRSTVWXZ".Select(c => c.ToString())])
                    .SetUserCodeLength(8)
                    .SetUserCodeDisplayFormat("{0}{1}{2}{3}-{4}{5}{6}{7}");
                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()

                    // Loopback and reverse proxies terminating TLS are the normal deployments; the cookie and the
                    // connect URLs follow the request's scheme instead.
                    .DisableTransportSecurityRequirement();
                CattyWireResponses.Register(server);
                server.AddEventHandler(DevicePolling.Descriptor);
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.EnableAuthorizationEntryValidation();
                validation.UseAspNetCore()
                    .DisableAccessTokenExtractionFromQueryString()
                    .DisableAccessTokenExtractionFromBodyForm();
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<TokenKeys, IOptions<AuthOptions>, IOptions<CattyOptions>>((server, keys, auth, catty) =>
        {
            server.SigningCredentials.Add(keys.Signing);
            server.EncryptionCredentials.Add(keys.Encryption);
            server.AccessTokenLifetime = auth.Value.AccessTokenLifetime;
            server.RefreshTokenLifetime = auth.Value.RefreshTokenLifetime;
            server.DeviceCodeLifetime = auth.Value.DeviceCodeLifetime;
            server.UserCodeLifetime = auth.Value.DeviceCodeLifetime;
            if (catty.Value.PublicUrl is { Length: > 0 } publicUrl)
            {
                server.Issuer = new Uri(publicUrl.TrimEnd('/') + "/");
            }
        });

        services.AddHostedService<CliClientRegistration>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeviceLogin(this IEndpointRouteBuilder app)
    {
        TokenExchangeEndpoints.Map(app);
        VerificationEndpoints.Map(app);
        LogoutEndpoint.Map(app);
        return app;
    }

    /// <summary>The claims device-login tokens carry: who, nothing more.</summary>
    public static IEnumerable<string> Destinations(System.Security.Claims.Claim claim) =>
        claim.Type is Claims.Subject or Claims.Email or Claims.Name ? [OpenIddict.Abstractions.OpenIddictConstants.Destinations.AccessToken] : [];
}
