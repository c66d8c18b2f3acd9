using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A person with a browser, as the server sees one: a cookie jar, redirects followed by hand (so each page
/// is checked), the server's own Origin and the pages' CSRF fields on every form. The account comes from
/// the owner's invite link, accepted in another browser; this one signs in through <c>/signin</c> itself.
/// </summary>
internal sealed class WebUser : IDisposable
{
    public const string Password = "correct horse battery staple";

    private WebUser(Uri server, string email)
    {
        Server = server;
        Email = email;
        Http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri Server { get; }

    public string Email { get; }

    public HttpClient Http { get; }

    /// <summary>The owner invites <paramref name="email"/>; the invite is accepted with <see cref="Password"/> in a browser that is then closed.</summary>
    public static async Task<WebUser> InviteAsync(CliServer server, string email)
    {
        var invite = await server.Api.CreateInviteAsync(new CreateInviteRequest(email));
        using var invited = new WebUser(server.BaseAddress, email);
        var form = await invited.PageAsync(new Uri(invite.InviteUrl).PathAndQuery);
        using var accepted = await invited.PostFormAsync("invite", new Dictionary<string, string>
        {
            ["csrf_token"] = HtmlForm.Value(form, "csrf_token"),
            ["token"] = HtmlForm.Value(form, "token"),
            ["display_name"] = "Test " + email,
            ["password"] = Password,
        });
        await ExpectRedirectAsync(accepted, "accepting the invite");
        return new WebUser(server.BaseAddress, email);
    }

    /// <summary>Signs in through the <c>/signin</c> form, as someone typing their email and password.</summary>
    public async Task SignInAsync()
    {
        var form = await PageAsync("signin");
        using var answer = await SignInFormAsync(form);
        await ExpectRedirectAsync(answer, "signing in");
    }

    /// <summary>
    /// What a person does with the link a CLI printed: opens it (signed out, so the server sends them to sign
    /// in first and back), checks the code on the page is the one the terminal shows, and presses
    /// <paramref name="decision"/> (<c>approve</c> or <c>deny</c>). Returns the page the server ends on.
    /// </summary>
    public async Task<string> DecideAsync(string link, string userCode, string decision)
    {
        using var opened = await Http.GetAsync(new Uri(link).PathAndQuery.TrimStart('/'));
        var location = opened.Headers.Location?.OriginalString ?? "";
        string page;
        if (location.StartsWith("/signin", StringComparison.Ordinal))
        {
            using var signedIn = await SignInFormAsync(await PageAsync(location.TrimStart('/')));
            page = await PageAsync(await ExpectRedirectAsync(signedIn, "signing in on the way to the code"));
        }
        else
        {
            page = await opened.Content.ReadAsStringAsync();
            Assert.True(opened.StatusCode == HttpStatusCode.OK, $"{link} answered {(int)opened.StatusCode}: {page}");
        }

        Assert.Contains(userCode, page, StringComparison.Ordinal);
        using var decided = await PostFormAsync("device", new Dictionary<string, string>
        {
            ["csrf_token"] = HtmlForm.Value(page, "csrf_token"),
            ["user_code"] = HtmlForm.Value(page, "user_code"),
            ["decision"] = decision,
        });
        return await PageAsync(await ExpectRedirectAsync(decided, $"pressing {decision}"));
    }

    /// <summary>Makes a personal API token from the signed-in browser, as the dashboard does (CSRF header, own Origin).</summary>
    public async Task<string> CreateApiTokenAsync(string name)
    {
        var me = await Http.GetFromJsonAsync("v1/auth/me", CattyJson.Default.MeResponse) ?? throw new InvalidOperationException("empty /v1/auth/me");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/tokens")
        {
            Content = JsonContent.Create(new CreateApiTokenRequest(name), CattyJson.Default.CreateApiTokenRequest),
        };
        request.Headers.Add("Origin", Server.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("X-CSRF-Token", me.CsrfToken);
        using var answer = await Http.SendAsync(request);
        Assert.True(answer.IsSuccessStatusCode, $"creating a token answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        return (await answer.Content.ReadFromJsonAsync(CattyJson.Default.CreatedApiToken))!.Token;
    }

    /// <summary>A typed client that sends <paramref name="token"/> (e.g. one catty stored) and nothing else.</summary>
    public static CattyClient ClientWith(Uri server, string? token) =>
        new(new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) }, token);

    /// <summary>How the server answers <c>GET /v1/auth/me</c> to <paramref name="token"/>.</summary>
    public static async Task<HttpStatusCode> StatusOfAsync(Uri server, string token)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = await http.SendAsync(request);
        return answer.StatusCode;
    }

    public void Dispose() => Http.Dispose();

    private Task<HttpResponseMessage> SignInFormAsync(string form) => PostFormAsync("signin", new Dictionary<string, string>
    {
        ["csrf_token"] = HtmlForm.Value(form, "csrf_token"),
        ["return_to"] = HtmlForm.Value(form, "return_to"),
        ["email"] = Email,
        ["password"] = Password,
    });

    private async Task<string> PageAsync(string path)
    {
        using var answer = await Http.GetAsync(path.TrimStart('/'));
        var html = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)answer.StatusCode}: {html}");
        return html;
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", Server.GetLeftPart(UriPartial.Authority));
        return await Http.SendAsync(request);
    }

    /// <summary>Fails unless <paramref name="answer"/> is a redirect (how these forms say yes); returns where to.</summary>
    private static async Task<string> ExpectRedirectAsync(HttpResponseMessage answer, string what)
    {
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"{what} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        return answer.Headers.Location!.OriginalString;
    }
}
