using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Accounts;

/// <summary>Sign-in through a real OpenID Connect issuer (a second OpenIddict server on loopback).</summary>
public sealed class ExternalLoginTests
{
    private const string Provider = "testidp";

    [Fact]
    public async Task An_invite_binds_the_provider_account_which_then_signs_in_by_issuer_and_subject()
    {
        await using var idp = await OidcProvider.StartAsync();
        await using var server = await StartCattyAsync(idp);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest("alice@example.com"));
        var token = new Uri(invite.InviteUrl).Query.Split("token=")[1];
        using var browser = server.NewBrowser();

        var page = await browser.Http.GetStringAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'));
        Assert.Contains($"/signin/external/{Provider}?invite=", page, StringComparison.Ordinal);
        var landed = await RoundTripAsync(server, browser, $"signin/external/{Provider}?invite={token}");

        Assert.Equal("/", landed);
        var me = await browser.MeAsync();
        Assert.Equal(("alice@example.com", "Alice", "member"), (me.User.Email, me.User.DisplayName, me.User.Role));
        var binding = await server.WithDbAsync(db => db.ExternalLogins.SingleAsync());
        Assert.Equal((idp.Issuer.AbsoluteUri, "alice-sub", me.User.Id), (binding.Issuer, binding.Subject, binding.UserId));

        // Later: the same provider account, no invite, a different address at the provider: still the same user.
        idp.NextUser = ("alice-sub", "alice.new@example.com", true, "Alice");
        using var later = server.NewBrowser();
        Assert.Equal("/sessions", await RoundTripAsync(server, later, $"signin/external/{Provider}?return_to=%2Fsessions"));
        Assert.Equal(me.User.Id, (await later.MeAsync()).User.Id);
    }

    [Fact]
    public async Task A_provider_account_is_never_bound_by_email_alone()
    {
        await using var idp = await OidcProvider.StartAsync();
        await using var server = await StartCattyAsync(idp);
        await server.CreateWithPasswordAsync("bob@example.com");
        idp.NextUser = ("bob-sub", "bob@example.com", true, "Bob");
        using var browser = server.NewBrowser();

        var (status, html) = await RefusedRoundTripAsync(server, browser, $"signin/external/{Provider}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("No Catty account is linked", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("v1/auth/me")).StatusCode);
        Assert.False(await server.WithDbAsync(db => db.ExternalLogins.AnyAsync()));
    }

    [Fact]
    public async Task A_signed_in_user_links_their_own_provider_account()
    {
        await using var idp = await OidcProvider.StartAsync();
        await using var server = await StartCattyAsync(idp);
        var id = await server.CreateWithPasswordAsync("carol@example.com");
        idp.NextUser = ("carol-sub", "carol@work.example", true, "Carol");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("carol@example.com");

        Assert.Equal("/", await RoundTripAsync(server, browser, $"signin/external/{Provider}?link=true"));

        using var fresh = server.NewBrowser();
        await RoundTripAsync(server, fresh, $"signin/external/{Provider}");
        Assert.Equal(id, (await fresh.MeAsync()).User.Id);
    }

    [Fact]
    public async Task An_unverified_email_is_refused_even_with_an_invite()
    {
        await using var idp = await OidcProvider.StartAsync();
        await using var server = await StartCattyAsync(idp);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest());
        idp.NextUser = ("mallory-sub", "mallory@example.com", false, "Mallory");
        using var browser = server.NewBrowser();

        var (status, html) = await RefusedRoundTripAsync(server, browser, $"signin/external/{Provider}?invite={new Uri(invite.InviteUrl).Query.Split("token=")[1]}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("no verified email address", html, StringComparison.Ordinal);
        Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "mallory@example.com")));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'))).StatusCode);
    }

    private static async Task<CattyTestServer> StartCattyAsync(OidcProvider idp)
    {
        var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings[$"Catty:Auth:Providers:{Provider}:Issuer"] = idp.Issuer.AbsoluteUri;
            s.Settings[$"Catty:Auth:Providers:{Provider}:ClientId"] = OidcProvider.ClientId;
            s.Settings[$"Catty:Auth:Providers:{Provider}:ClientSecret"] = OidcProvider.ClientSecret;
            s.Settings[$"Catty:Auth:Providers:{Provider}:DisplayName"] = "Test IdP";
        });
        await idp.RegisterCattyAsync(server.BaseAddress, Provider);
        return server;
    }

    private static Task<string?> RoundTripAsync(CattyTestServer server, BrowserClient browser, string start) =>
        ExternalRoundTrip.RunAsync(server, browser, Provider, start);

    private static Task<(HttpStatusCode Status, string Html)> RefusedRoundTripAsync(CattyTestServer server, BrowserClient browser, string start) =>
        ExternalRoundTrip.RefusedAsync(server, browser, Provider, start);
}
