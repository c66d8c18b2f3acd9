using System.Threading.RateLimiting;
using Catty.Server.Accounts;
using Catty.Server.Api;
using Catty.Server.Audit;
using Catty.Server.DeviceLogin;
using Catty.Server.ExternalLogins;
using Catty.Server.Relay;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Catty.Server.Auth;

internal static class AuthExtensions
{
    /// <summary>The authorization policy of every <c>/v1</c> group: an API token, a device-login access token or the browser cookie.</summary>
    public const string ApiPolicy = "api";

    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.BootstrapToken is null || ApiTokens.LooksValid(o.BootstrapToken),
                $"Catty:Auth:BootstrapToken must start with '{ApiTokens.Prefix}' and be 32 to 200 characters long.")
            .Validate(o => new[] { o.SignInCodeLifetime, o.ConnectTokenLifetime, o.CookieLifetime, o.AccessTokenLifetime, o.RefreshTokenLifetime,
                    o.DeviceCodeLifetime, o.DevicePollInterval, o.TicketLifetime, o.InviteLifetime }.All(t => t > TimeSpan.Zero),
                "Catty:Auth lifetimes and intervals must be positive.")
            .Validate(o => o.SignInAttemptsPerMinute > 0 && o.FailedSignInsPerAccount > 0 && o.DeviceCodesPerMinute > 0,
                "Catty:Auth:SignInAttemptsPerMinute, FailedSignInsPerAccount and DeviceCodesPerMinute must be positive.")
            .Validate(o => Accounts.EmailAddress.TryNormalize(o.OwnerEmail) is not null, "Catty:Auth:OwnerEmail must be an email address.")
            .ValidateOnStart();

        services.AddSingleton<ServerKey>();
        services.AddSingleton<ConnectTokens>();
        services.AddSingleton<OwnOrigin>();
        services.AddSingleton<Passwords>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<TerminalTickets>();
        services.AddAudit();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = AuthSchemes.Default;
                options.DefaultSignInScheme = AuthSchemes.Cookie;
            })
            .AddPolicyScheme(AuthSchemes.Default, "API token, access token or cookie", policy =>
            {
                policy.ForwardDefaultSelector = AuthSchemes.Select;

                // Every refusal is the API's 401/403 shape, whichever credential was tried.
                policy.ForwardChallenge = AuthSchemes.ApiToken;
                policy.ForwardForbid = AuthSchemes.ApiToken;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(AuthSchemes.ApiToken, null)
            .AddCookie(AuthSchemes.Cookie, cookie =>
            {
                cookie.Cookie.Name = "catty_signin";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/signin";
                cookie.ReturnUrlParameter = "return_to";
                cookie.Events.OnRedirectToLogin = context => Errors.Unauthorized("Sign in first (/signin).").ExecuteAsync(context.HttpContext);
                cookie.Events.OnRedirectToAccessDenied = context => Errors.Forbidden("forbidden", "Not allowed.").ExecuteAsync(context.HttpContext);
            });
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Cookie)
            .Configure<IOptions<AuthOptions>>((cookie, auth) => cookie.ExpireTimeSpan = auth.Value.CookieLifetime);

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(AuthSchemes.Default).RequireAuthenticatedUser());

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = CookieRequestGuard.HeaderName;
            antiforgery.FormFieldName = "csrf_token";
            antiforgery.Cookie.Name = "catty_csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddDataProtection().SetApplicationName("catty");
        services.AddOptions<KeyManagementOptions>()
            .Configure<DataDirectory, IOptions<DatabaseOptions>, IServiceScopeFactory, ILoggerFactory>((keys, dataDirectory, database, scopes, loggers) =>
                keys.XmlRepository = database.Value.IsPostgres
                    ? new DatabaseXmlRepository(scopes)
                    : new FileSystemXmlRepository(new DirectoryInfo(dataDirectory.CookieKeysDir), loggers));

        services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                {
                    Errors.SetRetryAfter(context.HttpContext.Response, after);
                }

                return new ValueTask(Errors.TooMany("rate_limited", "Too many requests; wait a moment and try again.").ExecuteAsync(context.HttpContext));
            };
            Sessions.SessionRateLimits.Add(limiter);
        });

        services.AddDeviceLogin();
        services.AddExternalLogins();
        services.AddHostedService<OwnerBootstrap>();
        return services;
    }

    /// <summary>Authentication, the CSRF/Origin guard for cookie requests, authorization; in that order.</summary>
    public static WebApplication UseAuth(this WebApplication app)
    {
        app.UseMiddleware<DeviceCodeThrottle>();
        app.UseMiddleware<CattyWireRequests>();
        app.UseAuthentication();
        app.UseMiddleware<CookieRequestGuard>();
        app.UseAuthorization();
        return app;
    }

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        app.MapSignIn();
        app.MapInvites();
        app.MapMe();
        app.MapTokens();
        app.MapDeviceLogin();
        app.MapExternalLogins();
        app.MapAudit();
        return app;
    }
}
