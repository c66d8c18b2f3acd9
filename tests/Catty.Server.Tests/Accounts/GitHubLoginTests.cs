using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Tests.Accounts;

/// <summary>Sign-in through a GitHub OAuth app, against a loopback fake of GitHub's OAuth endpoints and REST API.</summary>
public sealed class GitHubLoginTests
{
    private const string Provider = "github";

    [Fact]
    public async Task An_invite_binds_the_numeric_GitHub_id_which_then_signs_in_whatever_the_login_or_address()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        github.NextUser = new(583231, "alice", "Alice Liddell",
            [new("alice@old.example", Primary: false, Verified: true), new("alice@example.com", Primary: true, Verified: true)]);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest("alice@example.com"));
        using var browser = server.NewBrowser();

        var signIn = await browser.Http.GetStringAsync("signin");
        Assert.Contains("Sign in with GitHub", signIn, StringComparison.Ordinal);
        Assert.Contains($"/signin/external/{Provider}?return_to=", signIn, StringComparison.Ordinal);
        var landed = await ExternalRoundTrip.RunAsync(server, browser, Provider, $"signin/external/{Provider}?invite={ExternalRoundTrip.InviteToken(invite.InviteUrl)}");

        Assert.Equal("/", landed);
        var me = await browser.MeAsync();
        Assert.Equal(("alice@example.com", "Alice Liddell", "member"), (me.User.Email, me.User.DisplayName, me.User.Role));
        var binding = await server.WithDbAsync(db => db.ExternalLogins.SingleAsync());
        Assert.Equal((github.WebUrl.AbsoluteUri, "583231", Provider, me.User.Id), (binding.Issuer, binding.Subject, binding.Provider, binding.UserId));

        // Later the same GitHub account, renamed and with another address, no invite: still the same user.
        github.NextUser = new(583231, "alice-renamed", null, [new("alice@new.example", Primary: true, Verified: true)]);
        using var later = server.NewBrowser();
        Assert.Equal("/sessions", await ExternalRoundTrip.RunAsync(server, later, Provider, $"signin/external/{Provider}?return_to=%2Fsessions"));
        Assert.Equal(me.User.Id, (await later.MeAsync()).User.Id);
        Assert.Equal(2, github.Exchanged);
        Assert.All(github.AccessTokens.Append(FakeGitHub.ClientSecret), secret => Assert.DoesNotContain(secret, server.Logs.AllText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_GitHub_account_with_the_same_address_is_not_signed_in_as_that_user()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest("alice@example.com"));
        using (var alice = server.NewBrowser())
        {
            await ExternalRoundTrip.RunAsync(server, alice, Provider, $"signin/external/{Provider}?invite={ExternalRoundTrip.InviteToken(invite.InviteUrl)}");
        }

        // The old login name and the same verified address, but a different account id.
        github.NextUser = new(900001, "alice", "Alice", [new("alice@example.com", Primary: true, Verified: true)]);
        using var mallory = server.NewBrowser();
        var (status, html) = await ExternalRoundTrip.RefusedAsync(server, mallory, Provider, $"signin/external/{Provider}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("No Catty account is linked to this GitHub account", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await mallory.Http.GetAsync("v1/auth/me")).StatusCode);
        Assert.Equal("583231", (await server.WithDbAsync(db => db.ExternalLogins.SingleAsync())).Subject);
    }

    [Fact]
    public async Task An_account_with_no_verified_address_is_refused_even_with_an_invite()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest());
        github.NextUser = new(77, "mallory", "Mallory",
            [new("mallory@example.com", Primary: true, Verified: false), new("m@example.org", Primary: false, Verified: false)]);
        using var browser = server.NewBrowser();

        var (status, html) = await ExternalRoundTrip.RefusedAsync(server, browser, Provider, $"signin/external/{Provider}?invite={ExternalRoundTrip.InviteToken(invite.InviteUrl)}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Your GitHub account has no verified email address", html, StringComparison.Ordinal);
        Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "mallory@example.com")));
        Assert.False(await server.WithDbAsync(db => db.ExternalLogins.AnyAsync()));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'))).StatusCode);
    }

    [Fact]
    public async Task A_tampered_state_or_another_browsers_callback_is_refused()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest());
        using var browser = server.NewBrowser();
        var callback = await ExternalRoundTrip.ToCallbackAsync(server, browser, Provider, $"signin/external/{Provider}?invite={ExternalRoundTrip.InviteToken(invite.InviteUrl)}");
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(server.BaseAddress, callback).Query)["state"].ToString();
        var flipped = state[..^6] + (state[^6] == 'A' ? 'B' : 'A') + state[^5..];

        using var tampered = await browser.Http.GetAsync(callback.Replace(state, flipped, StringComparison.Ordinal));
        using var stranger = server.NewBrowser();
        using var elsewhere = await stranger.Http.GetAsync(callback);

        foreach (var (answer, who) in new[] { (tampered, browser), (elsewhere, stranger) })
        {
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{answer.StatusCode} {answer.Content.Headers.ContentType}: {await answer.Content.ReadAsStringAsync()}");
            Assert.Contains("did not complete", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await who.Http.GetAsync("v1/auth/me")).StatusCode);
        }

        Assert.False(await server.WithDbAsync(db => db.ExternalLogins.AnyAsync()));
        Assert.Equal(0, github.Exchanged);
    }

    [Fact]
    public async Task Cancelling_at_GitHub_lands_on_a_clear_page()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        github.Deny = true;
        using var browser = server.NewBrowser();

        var (status, html) = await ExternalRoundTrip.RefusedAsync(server, browser, Provider, $"signin/external/{Provider}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("did not complete", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task When_GitHubs_API_fails_nobody_is_signed_in_and_the_page_says_so()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest());
        github.ApiDown = true;
        using var browser = server.NewBrowser();

        var (status, html) = await ExternalRoundTrip.RefusedAsync(server, browser, Provider, $"signin/external/{Provider}?invite={ExternalRoundTrip.InviteToken(invite.InviteUrl)}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("GitHub did not say who you are", html, StringComparison.Ordinal);
        Assert.Contains("GitHub's API failed: GET user answered 503", server.Logs.Problems, StringComparison.Ordinal);
        Assert.False(await server.WithDbAsync(db => db.ExternalLogins.AnyAsync()));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'))).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_user_links_their_GitHub_account()
    {
        await using var github = await FakeGitHub.StartAsync();
        await using var server = await StartCattyAsync(github);
        var id = await server.CreateWithPasswordAsync("carol@example.com");
        github.NextUser = new(4100, "carol", "Carol", [new("carol@work.example", Primary: true, Verified: true)]);
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("carol@example.com");

        Assert.Equal("/", await ExternalRoundTrip.RunAsync(server, browser, Provider, $"signin/external/{Provider}?link=true"));

        using var fresh = server.NewBrowser();
        await ExternalRoundTrip.RunAsync(server, fresh, Provider, $"signin/external/{Provider}");
        Assert.Equal(id, (await fresh.MeAsync()).User.Id);
    }

    [Theory]
    [InlineData("Catty:Auth:GitHub:ClientId=abc", "Catty:Auth:GitHub:ClientSecret is required")]
    [InlineData("Catty:Auth:GitHub:ClientSecret=s3cret", "Catty:Auth:GitHub:ClientId is required")]
    [InlineData("Catty:Auth:GitHub:ClientId=abc;Catty:Auth:GitHub:ClientSecret=s;Catty:Auth:GitHub:WebUrl=github.com", "Catty:Auth:GitHub:WebUrl must be an absolute http(s) URL")]
    [InlineData("Catty:Auth:GitHub:ClientId=abc;Catty:Auth:GitHub:ClientSecret=s;Catty:Auth:GitHub:ApiUrl=ftp://api.example", "Catty:Auth:GitHub:ApiUrl must be an absolute http(s) URL")]
    [InlineData("Catty:Auth:GitHub:ClientId=abc;Catty:Auth:GitHub:ClientSecret=s;Catty:Auth:Providers:github:Issuer=https://id.example/;Catty:Auth:Providers:github:ClientId=x",
        "the name 'github' is taken")]
    public async Task Bad_GitHub_settings_stop_the_start_with_a_clear_message(string settings, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CattyTestServer.StartAsync(s =>
        {
            foreach (var pair in settings.Split(';').Select(p => p.Split('=', 2)))
            {
                s.Settings[pair[0]] = pair[1];
            }
        }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task<CattyTestServer> StartCattyAsync(FakeGitHub github)
    {
        var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Auth:GitHub:ClientId"] = FakeGitHub.ClientId;
            s.Settings["Catty:Auth:GitHub:ClientSecret"] = FakeGitHub.ClientSecret;
            s.Settings["Catty:Auth:GitHub:WebUrl"] = github.WebUrl.AbsoluteUri;
            s.Settings["Catty:Auth:GitHub:ApiUrl"] = github.ApiUrl.AbsoluteUri;
        });
        github.Callback = new Uri(server.BaseAddress, "/signin/callback/" + Provider).AbsoluteUri;
        return server;
    }
}
