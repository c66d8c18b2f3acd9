using System.Net;
using Catty.Sdk.Api;

namespace Catty.Web.Tests.Infrastructure;

/// <summary>
/// One person on a <see cref="DashboardServer"/>: an email and password to type into the sign-in page, and their own
/// API client (what their CLI would do beside the browser). Sessions are per person, so tests sharing a server
/// see only their own.
/// </summary>
internal sealed class Account
{
    public const string Password = "correct horse battery staple";

    private Account(DashboardServer server, string email, CattyClient client)
    {
        Server = server;
        Email = email;
        Client = client;
    }

    public DashboardServer Server { get; }

    public string Email { get; }

    /// <summary>Authenticated with an API token of this person's.</summary>
    public CattyClient Client { get; }

    public Task<CreateSessionResponse> CreateShellAsync() => Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));

    /// <summary>The owner invites <paramref name="email"/>; the invite page's form is filled in; the new person makes an API token.</summary>
    public static async Task<Account> CreateAsync(DashboardServer server, string email)
    {
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest(email));
        var origin = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };
        browser.DefaultRequestHeaders.Add("Origin", origin);

        var form = await browser.GetStringAsync(new Uri(invite.InviteUrl).PathAndQuery);
        using var accepted = await browser.PostAsync("invite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf_token"] = HtmlForm.Value(form, "csrf_token"),
            ["token"] = HtmlForm.Value(form, "token"),
            ["display_name"] = email.Split('@')[0],
            ["password"] = Password,
        }));
        if (accepted.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The invite form answered {(int)accepted.StatusCode}:\n{await accepted.Content.ReadAsStringAsync()}");
        }

        // Signed in by the invite: the cookie, and the CSRF header the dashboard would send.
        var signedIn = new CattyClient(browser);
        browser.DefaultRequestHeaders.Add("X-CSRF-Token", (await signedIn.GetMeAsync()).CsrfToken);
        var token = await signedIn.CreateTokenAsync(new CreateApiTokenRequest("web tests"));
        var client = new CattyClient(new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, token.Token);
        return new Account(server, email, client);
    }
}
