using System.Text.RegularExpressions;
using Catty.Server.DeviceLogin;
using Microsoft.Extensions.Options;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.ExternalLogins;

/// <summary>
/// Sign-in through OpenID Connect providers from configuration, run by OpenIddict's client (discovery, PKCE,
/// state, nonce and ID token checks), and through a GitHub OAuth app (<see cref="GitHubLogin"/>); the endpoints exist
/// only when a provider is configured.
/// </summary>
internal static partial class ExternalLoginExtensions
{
    public const string CallbackPrefix = "/signin/callback/";

    public static IServiceCollection AddExternalLogins(this IServiceCollection services)
    {
        services.AddOptions<ExternalLoginOptions>().BindConfiguration(ExternalLoginOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExternalLoginOptions>, ExternalLoginOptionsValidator>();
        services.AddSingleton<ExternalProviders>();
        services.AddSingleton<GitHubLogin>();
        services.AddHttpClient(GitHubLogin.HttpClientName)
            .ConfigureHttpClient((provider, http) => GitHubLogin.ConfigureApi(http, provider.GetRequiredService<IOptions<ExternalLoginOptions>>().Value.GitHub));

        services.AddOpenIddict().AddClient(client =>
        {
            client.AllowAuthorizationCodeFlow();

            // The code flow needs a redirection endpoint even while no provider is configured.
            client.SetRedirectionEndpointUris(CallbackPrefix[1..].TrimEnd('/'));
            // Error passthrough: a bad callback (forged or replayed state, another browser's) gets Catty's page, not a bare 400.
            client.UseAspNetCore().EnableRedirectionEndpointPassthrough().EnableErrorPassthrough().DisableTransportSecurityRequirement();
            client.UseSystemNetHttp();
        });

        // Providers come from options (not the configuration at registration time) so every source counts.
        services.AddOptions<OpenIddictClientOptions>().Configure<TokenKeys, IOptions<ExternalLoginOptions>>((client, keys, external) =>
        {
            client.SigningCredentials.Add(keys.Signing);
            client.EncryptionCredentials.Add(keys.Encryption);
            foreach (var (name, provider) in external.Value.Providers)
            {
                if (!Uri.TryCreate(provider.Issuer, UriKind.Absolute, out var issuer))
                {
                    continue;
                }

                var callback = new Uri(CallbackPrefix[1..] + name, UriKind.Relative);
                client.RedirectionEndpointUris.Add(callback);
                client.Registrations.Add(new OpenIddictClientRegistration
                {
                    Issuer = issuer,
                    ProviderName = name,
                    ProviderDisplayName = provider.DisplayName ?? name,
                    ClientId = provider.ClientId,
                    ClientSecret = provider.ClientSecret,
                    RedirectUri = callback,
                    Scopes = { Scopes.Email, Scopes.Profile },

                    // The callback comes back as a top-level GET, so the correlation cookie can be SameSite=Lax.
                    ResponseModes = { ResponseModes.Query },
                });
            }

            if (external.Value.GitHub.Enabled && Uri.TryCreate(external.Value.GitHub.WebUrl, UriKind.Absolute, out _))
            {
                var callback = new Uri(CallbackPrefix[1..] + GitHubLogin.ProviderName, UriKind.Relative);
                client.RedirectionEndpointUris.Add(callback);
                client.Registrations.Add(GitHubLogin.Registration(external.Value.GitHub, callback));
            }
        });

        // Secure only over https: a plain-http install (loopback, TLS at a proxy) must still get the cookie back.
        services.AddOptions<OpenIddictClientAspNetCoreOptions>().Configure(aspNetCore =>
        {
            aspNetCore.CookieBuilder.SameSite = SameSiteMode.Lax;
            aspNetCore.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapExternalLogins(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<ExternalProviders>().All.Count > 0)
        {
            ExternalLoginEndpoints.Map(app);
        }

        return app;
    }

    private static void ValidateGitHub(ExternalLoginOptions options, List<string> failures)
    {
        var github = options.GitHub;
        var at = $"{ExternalLoginOptions.Section}:GitHub";
        if (!github.Enabled)
        {
            if (!string.IsNullOrWhiteSpace(github.ClientSecret))
            {
                failures.Add($"{at}:ClientId is required when a ClientSecret is set.");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(github.ClientSecret))
        {
            failures.Add($"{at}:ClientSecret is required: a GitHub OAuth app exchanges codes only with its secret.");
        }

        foreach (var (key, url) in new[] { ("WebUrl", github.WebUrl), ("ApiUrl", github.ApiUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0)
            {
                failures.Add($"{at}:{key} must be an absolute http(s) URL without a query.");
            }
        }

        if (options.Providers.ContainsKey(GitHubLogin.ProviderName))
        {
            failures.Add($"{ExternalLoginOptions.Section}:Providers:{GitHubLogin.ProviderName}: the name '{GitHubLogin.ProviderName}' is taken by {at}.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex ProviderName();

    private sealed class ExternalLoginOptionsValidator : IValidateOptions<ExternalLoginOptions>
    {
        public ValidateOptionsResult Validate(string? name, ExternalLoginOptions options)
        {
            var failures = new List<string>();
            foreach (var (provider, settings) in options.Providers)
            {
                var at = $"{ExternalLoginOptions.Section}:{provider}";
                if (!ProviderName().IsMatch(provider))
                {
                    failures.Add($"{at}: '{provider}' is not a provider name (lowercase letters, digits and '-').");
                }

                if (!Uri.TryCreate(settings.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http"))
                {
                    failures.Add($"{at}:Issuer must be an absolute http(s) URL.");
                }

                if (string.IsNullOrWhiteSpace(settings.ClientId))
                {
                    failures.Add($"{at}:ClientId is required.");
                }
            }

            ValidateGitHub(options, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
