using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Client;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.ExternalLogins;

/// <summary>
/// Sign-in through a GitHub OAuth app. GitHub is OAuth 2.0 without OpenID Connect: no discovery document and no ID
/// token. OpenIddict's client still runs the browser part (state token, PKCE, correlation cookie, code exchange) from a
/// static description of GitHub's endpoints; who signed in then comes from GitHub's REST API with the access token.
/// The subject is the numeric user id, since the login name can be changed and then taken by someone else.
/// </summary>
internal sealed class GitHubLogin(IHttpClientFactory clients, IOptions<ExternalLoginOptions> options, ILogger<GitHubLogin> logger)
{
    public const string ProviderName = "github";
    public const string HttpClientName = "github-api";

    /// <summary>The OpenIddict registration: GitHub's endpoints under <see cref="GitHubOptions.WebUrl"/>, no discovery.</summary>
    public static OpenIddictClientRegistration Registration(GitHubOptions github, Uri callback)
    {
        var web = BaseUri(github.WebUrl);
        return new OpenIddictClientRegistration
        {
            Issuer = web,
            ProviderName = ProviderName,
            ProviderDisplayName = "GitHub",
            ClientId = github.ClientId,
            ClientSecret = github.ClientSecret,
            RedirectUri = callback,

            // Without "openid" OpenIddict expects no ID token; these two let the API name the user and list their addresses.
            Scopes = { "read:user", "user:email" },
            ResponseModes = { ResponseModes.Query },
            Configuration = new OpenIddictConfiguration
            {
                Issuer = web,
                AuthorizationEndpoint = new Uri(web, "login/oauth/authorize"),
                TokenEndpoint = new Uri(web, "login/oauth/access_token"),
                GrantTypesSupported = { GrantTypes.AuthorizationCode },
                ResponseTypesSupported = { ResponseTypes.Code },
                ResponseModesSupported = { ResponseModes.Query },
                CodeChallengeMethodsSupported = { CodeChallengeMethods.Sha256 },
                TokenEndpointAuthMethodsSupported = { ClientAuthenticationMethods.ClientSecretPost },
            },
        };
    }

    public static void ConfigureApi(HttpClient http, GitHubOptions github)
    {
        http.BaseAddress = BaseUri(github.ApiUrl);
        http.Timeout = TimeSpan.FromSeconds(30);

        // GitHub refuses API requests without a User-Agent.
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("catty-server", "1.0"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
    }

    /// <summary>An absolute URL that ends with '/', so relative endpoint paths land under it.</summary>
    public static Uri BaseUri(string url) => new(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);

    /// <summary>
    /// Who holds <paramref name="accessToken"/>: GitHub's user id as the subject and the primary verified address (else
    /// any verified one). With no verified address the identity says so and the caller refuses it. Null when GitHub's
    /// API did not answer as documented.
    /// </summary>
    public async Task<ExternalIdentity?> ReadAsync(string accessToken, CancellationToken cancellation)
    {
        using var http = clients.CreateClient(HttpClientName);
        try
        {
            using var user = await GetAsync(http, "user", accessToken, cancellation);
            using var emails = await GetAsync(http, "user/emails", accessToken, cancellation);
            if (!user.RootElement.TryGetProperty("id", out var id) || !id.TryGetInt64(out var userId) || emails.RootElement.ValueKind != JsonValueKind.Array)
            {
                logger.LogWarning("GitHub's API answered without a user id or an address list.");
                return null;
            }

            var addresses = emails.RootElement.EnumerateArray()
                .Select(e => (Email: Text(e, "email"), Primary: Flag(e, "primary"), Verified: Flag(e, "verified")))
                .Where(e => e.Email is not null)
                .ToList();
            var verified = addresses.Where(e => e.Verified).OrderByDescending(e => e.Primary).Select(e => e.Email).FirstOrDefault();
            var email = verified ?? addresses.Where(e => e.Primary).Select(e => e.Email).FirstOrDefault();
            var name = Text(user.RootElement, "name") ?? Text(user.RootElement, "login");
            var issuer = BaseUri(options.Value.GitHub.WebUrl).AbsoluteUri;
            return new ExternalIdentity(issuer, userId.ToString(CultureInfo.InvariantCulture), email, verified is not null, name);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            logger.LogWarning("GitHub's API failed: {Error}", e.Message);
            return null;
        }
    }

    private static async Task<JsonDocument> GetAsync(HttpClient http, string path, string accessToken, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellation);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
