using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Audit;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Accounts;

public sealed class InviteTests
{
    [Fact]
    public async Task An_invite_link_creates_a_member_once_and_then_is_spent()
    {
        await using var server = await CattyTestServer.StartAsync();
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest("New.Person@Example.com"));
        Assert.Equal("new.person@example.com", invite.Email);
        Assert.StartsWith(server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/invite?token=cti_", invite.InviteUrl, StringComparison.Ordinal);
        using var browser = server.NewBrowser();

        using var accepted = await AcceptAsync(browser, invite, "New Person", "a long enough password");

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var me = await browser.MeAsync();
        Assert.Equal(("new.person@example.com", "New Person", "member"), (me.User.Email, me.User.DisplayName, me.User.Role));
        using var again = await server.NewBrowser().Http.GetAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'));
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        using var second = server.NewBrowser();
        await second.SignInOrFailAsync("new.person@example.com", "a long enough password");
        Assert.Equal(1, await server.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Kind == AuditKinds.InviteUsed)));
    }

    [Fact]
    public async Task An_expired_invite_is_refused()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.HandClock());
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest(ExpiresInHours: 1));
        using var browser = server.NewBrowser();
        var page = await browser.Http.GetStringAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'));

        server.Clock!.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var form = await browser.PostFormAsync("invite", new Dictionary<string, string>
        {
            ["csrf_token"] = BrowserClient.FormValue(page, "csrf_token"),
            ["token"] = BrowserClient.FormValue(page, "token"),
            ["email"] = "late@example.com",
            ["display_name"] = "Late",
            ["password"] = "a long enough password",
        });
        using var link = await browser.Http.GetAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.Gone, form.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, link.StatusCode);
        Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "late@example.com")));
    }

    [Fact]
    public async Task An_invite_form_with_a_short_password_or_no_name_is_shown_again_and_the_invite_stays_usable()
    {
        await using var server = await CattyTestServer.StartAsync();
        var invite = await server.Client.CreateInviteAsync(new CreateInviteRequest());
        using var browser = server.NewBrowser();

        using var shortPassword = await AcceptAsync(browser, invite, "Shorty", "short", email: "s@example.com");
        using var noName = await AcceptAsync(browser, invite, "", "a long enough password", email: "s@example.com");
        using var badEmail = await AcceptAsync(browser, invite, "Name", "a long enough password", email: "not-an-email");
        using var good = await AcceptAsync(browser, invite, "Name", "a long enough password", email: "s@example.com");

        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.Contains("at least 10 characters", await shortPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
    }

    [Fact]
    public async Task Only_the_owner_invites_and_bad_invite_requests_are_400()
    {
        await using var server = await CattyTestServer.StartAsync();
        var member = server.NewClient(await server.CreateWithTokenAsync("member@example.com"));

        var notOwner = await Assert.ThrowsAsync<CattyApiException>(() => member.CreateInviteAsync(new CreateInviteRequest()));
        var badEmail = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateInviteAsync(new CreateInviteRequest("nope")));
        var badExpiry = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateInviteAsync(new CreateInviteRequest(ExpiresInHours: 0)));
        var existing = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateInviteAsync(new CreateInviteRequest("member@example.com")));

        Assert.Equal((HttpStatusCode.Forbidden, "owner_only"), (notOwner.Status, notOwner.Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_email"), (badEmail.Status, badEmail.Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_expiry"), (badExpiry.Status, badExpiry.Error));
        Assert.Equal((HttpStatusCode.Conflict, "already_member"), (existing.Status, existing.Error));
    }

    private static async Task<HttpResponseMessage> AcceptAsync(BrowserClient browser, InviteResponse invite, string name, string password, string? email = null)
    {
        var page = await browser.Http.GetStringAsync(new Uri(invite.InviteUrl).PathAndQuery.TrimStart('/'));
        var fields = new Dictionary<string, string>
        {
            ["csrf_token"] = BrowserClient.FormValue(page, "csrf_token"),
            ["token"] = BrowserClient.FormValue(page, "token"),
            ["display_name"] = name,
            ["password"] = password,
        };
        if (email is not null)
        {
            fields["email"] = email;
        }

        return await browser.PostFormAsync("invite", fields);
    }
}
