using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect issuer for tests: a second OpenIddict server on its own loopback port (discovery, JWKS,
/// authorization code flow with PKCE, signed ID tokens). Its authorization endpoint signs in whoever
/// <see cref="NextUser"/> names, as if that person had just logged in there.
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "catty-test";
    public const string ClientSecret = "provider-side-secret-0123456789";

    private readonly WebApplication _app;
    private readonly string _databasePath;

    private OidcProvider(WebApplication app, string databasePath)
    {
        _app = app;
        _databasePath = databasePath;
    }

    /// <summary>Known once started.</summary>
    public Uri Issuer => new(_app.Urls.Single() + "/");

    /// <summary>Who the next authorization request signs in: subject, email, whether the email is verified, name.</summary>
    public (string Subject, string Email, bool Verified, string Name) NextUser { get; set; } = ("alice-sub", "alice@example.com", true, "Alice");

    public static async Task<OidcProvider> StartAsync()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"oidc-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderDb>(db => db.UseSqlite($"Data Source={databasePath}").UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("authorize").SetTokenEndpointUris("token");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.Email, Scopes.Profile);
                server.AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "provider-signing" })
                    .AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "provider-encryption" })
                    .DisableAccessTokenEncryption();
                server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        var provider = new OidcProvider(app, databasePath);
        app.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => provider.Authorize(context));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
        }

        await app.StartAsync();
        return provider;
    }

    /// <summary>Registers Catty as a client whose callback is on <paramref name="catty"/>.</summary>
    public async Task RegisterCattyAsync(Uri catty, string providerName)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { new Uri(catty, "/signin/callback/" + providerName) },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.Email,
                Permissions.Prefixes.Scope + Scopes.Profile,
            },
        });
    }

    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var (subject, email, verified, name) = NextUser;
        var identity = new ClaimsIdentity("test-provider", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject).SetClaim(Claims.Email, email).SetClaim(Claims.Name, name);
        identity.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
