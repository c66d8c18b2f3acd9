namespace Catty.Server.ExternalLogins;

/// <summary>
/// OpenID Connect providers people may sign in with, bound from <c>Catty:Auth:Providers</c> (none by default), e.g.
/// <c>Catty__Auth__Providers__company__Issuer=https://login.example.com/</c>.
/// </summary>
internal sealed class ExternalLoginOptions
{
    public const string Section = "Catty:Auth";

    /// <summary>Providers by name (lowercase letters, digits, '-'); the name appears in the callback URL <c>/signin/callback/{name}</c>.</summary>
    public Dictionary<string, OidcProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sign-in through a GitHub OAuth app, e.g. <c>Catty__Auth__GitHub__ClientId</c>; off while no client id is set.</summary>
    public GitHubOptions GitHub { get; set; } = new();
}

/// <summary>One OpenID Connect provider (any issuer with a discovery document).</summary>
internal sealed class OidcProviderOptions
{
    /// <summary>The issuer URL, e.g. <c>https://accounts.example.com/</c>; its discovery document is read from it.</summary>
    public string Issuer { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>The client secret; from the environment or a secret store, never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Shown on the button ("Sign in with …"). Default: the provider's name.</summary>
    public string? DisplayName { get; set; }
}

/// <summary>
/// A GitHub OAuth app. GitHub is not an OpenID Connect issuer, so it has its own settings rather than an entry under
/// <c>Providers</c>; its callback is <c>/signin/callback/github</c>.
/// </summary>
internal sealed class GitHubOptions
{
    public string? ClientId { get; set; }

    /// <summary>The OAuth app's client secret; from the environment or a secret store, never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Where the authorize and token endpoints live (<c>login/oauth/…</c>); also the issuer bindings are recorded under.</summary>
    public string WebUrl { get; set; } = "https://github.com/";

    /// <summary>The REST API that says who signed in (<c>user</c>) and which addresses GitHub verified (<c>user/emails</c>).</summary>
    public string ApiUrl { get; set; } = "https://api.github.com/";

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);
}
