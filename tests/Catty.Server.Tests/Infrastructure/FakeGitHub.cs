using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// GitHub's OAuth app endpoints and the two REST calls sign-in needs, on a loopback port, answering as GitHub documents
/// them: <c>GET login/oauth/authorize</c> redirects back with <c>code</c> and <c>state</c> for whoever
/// <see cref="NextUser"/> names (as if they had just approved the app there); <c>POST login/oauth/access_token</c>
/// exchanges a code once, for the app's id and secret (and the PKCE verifier when a challenge was sent), answering JSON
/// when asked and a form otherwise, errors with 200 as GitHub does; <c>api/user</c> and <c>api/user/emails</c> want a
/// User-Agent and <c>Authorization: Bearer|token</c>.
/// </summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    public const string ClientId = "Iv1.catty0test0client";
    public const string ClientSecret = "github-side-secret-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Account> _tokens = new(StringComparer.Ordinal);

    private FakeGitHub(WebApplication app) => _app = app;

    /// <summary>A GitHub account: the numeric id, the (changeable) login, the profile name and the account's addresses.</summary>
    public sealed record Account(long Id, string Login, string? Name, IReadOnlyList<Address> Emails);

    public sealed record Address(string Email, bool Primary, bool Verified);

    private sealed record Grant(Account Account, string RedirectUri, string? Challenge);

    /// <summary>Where github.com would be (authorize and token endpoints), known once started.</summary>
    public Uri WebUrl => new(_app.Urls.Single() + "/");

    /// <summary>Where api.github.com would be.</summary>
    public Uri ApiUrl => new(WebUrl, "api/");

    /// <summary>The OAuth app's callback URL; the authorize endpoint refuses any other <c>redirect_uri</c>.</summary>
    public string? Callback { get; set; }

    /// <summary>Who approves the next authorization request.</summary>
    public Account NextUser { get; set; } = new(583231, "alice", "Alice", [new("alice@example.com", Primary: true, Verified: true)]);

    /// <summary>Whether the next person at the authorize page clicks "Cancel" instead of approving the app.</summary>
    public bool Deny { get; set; }

    /// <summary>Whether the REST API is having an outage (503, as GitHub answers then).</summary>
    public bool ApiDown { get; set; }

    /// <summary>Codes exchanged for tokens so far.</summary>
    public int Exchanged => _tokens.Count;

    /// <summary>The access tokens handed out.</summary>
    public IReadOnlyCollection<string> AccessTokens => [.. _tokens.Keys];

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var github = new FakeGitHub(app);
        app.MapGet("/login/oauth/authorize", (HttpContext context) => github.Authorize(context));
        app.MapPost("/login/oauth/access_token", (HttpRequest request) => github.ExchangeAsync(request));
        app.MapGet("/api/user", (HttpContext context) => github.Api(context, a => new { login = a.Login, id = a.Id, node_id = $"U_{a.Id}", type = "User", name = a.Name, email = (string?)null }));
        app.MapGet("/api/user/emails", (HttpContext context) => github.Api(context, a => a.Emails.Select(e => new { email = e.Email, primary = e.Primary, verified = e.Verified, visibility = e.Primary ? "private" : null })));
        await app.StartAsync();
        return github;
    }

    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["client_id"] != ClientId)
        {
            return Results.NotFound("No OAuth app with this client id.");
        }

        var redirect = query["redirect_uri"].ToString();
        if (redirect != Callback)
        {
            return Results.BadRequest("The redirect_uri is not associated with this application.");
        }

        var challenge = query["code_challenge"].ToString();
        if (challenge.Length > 0 && query["code_challenge_method"] != "S256")
        {
            return Results.BadRequest("Only the S256 code challenge method is supported.");
        }

        if (Deny)
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?>
            {
                ["error"] = "access_denied",
                ["error_description"] = "The user has denied your application access.",
                ["state"] = query["state"],
            }));
        }

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        _codes[code] = new Grant(NextUser, redirect, challenge.Length > 0 ? challenge : null);
        return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] }));
    }

    private async Task<IResult> ExchangeAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var json = request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        IResult Answer(Dictionary<string, string> fields) =>
            json ? Results.Json(fields) : Results.Text(string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}")), "application/x-www-form-urlencoded");

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Answer(new() { ["error"] = "incorrect_client_credentials", ["error_description"] = "The client_id and/or client_secret passed are incorrect." });
        }

        if (!_codes.TryRemove(form["code"].ToString(), out var grant)
            || (form.ContainsKey("redirect_uri") && form["redirect_uri"] != grant.RedirectUri)
            || (grant.Challenge is not null && Challenge(form["code_verifier"].ToString()) != grant.Challenge))
        {
            return Answer(new() { ["error"] = "bad_verification_code", ["error_description"] = "The code passed is incorrect or expired." });
        }

        var token = "gho_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        _tokens[token] = grant.Account;
        return Answer(new() { ["access_token"] = token, ["token_type"] = "bearer", ["scope"] = "read:user,user:email" });
    }

    private IResult Api(HttpContext context, Func<Account, object> answer)
    {
        if (ApiDown)
        {
            return Results.Json(new { message = "Service Unavailable" }, statusCode: 503);
        }

        if (context.Request.Headers.UserAgent.Count == 0)
        {
            return Results.Text("Request forbidden by administrative rules. Please make sure your request has a User-Agent header.", statusCode: 403);
        }

        var authorization = context.Request.Headers.Authorization.ToString().Split(' ', 2);
        if (authorization is not [("Bearer" or "token"), var token] || !_tokens.TryGetValue(token, out var account))
        {
            return Results.Json(new { message = "Requires authentication", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
        }

        return Results.Json(answer(account));
    }

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
