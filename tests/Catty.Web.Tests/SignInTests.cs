using System.Text.RegularExpressions;
using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>Signing in on the server's page, the cookie, CSRF, tickets and signing out, as the browser lives them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(Browsers browsers, SharedServer shared)
{
    [Theory]
    [InlineData(Device.Phone)]
    [InlineData(Device.Desktop)]
    public async Task Signing_in_on_the_servers_page_returns_to_the_dashboard(Device device)
    {
        var account = await shared.NewAccountAsync();
        await using var context = await browsers.NewContextAsync(device, shared.Server.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?return_to=%2F$"));
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf($"signin-{device.ToString().ToLowerInvariant()}.png") });
        await Dashboard.SignInAsync(page, account);

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.Locator(".who")).ToHaveTextAsync(account.Email);

        // The sign-in is an HttpOnly cookie: the dashboard's script never holds a credential.
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "catty_signin");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.DoesNotContain("catty_signin", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_returns_to_the_session_that_was_asked_for()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var context = await browsers.NewContextAsync(Device.Phone, shared.Server.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/sessions/{session.Label}");
        await Expect(page).ToHaveURLAsync(new Regex($"/signin\\?return_to=%2Fsessions%2F{session.Label}$"));
        await Dashboard.SignInAsync(page, account);

        await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{session.Label}$"));
        await Expect(page.Locator(".status-bar .status-text")).ToHaveTextAsync("Connected");
    }

    [Fact]
    public async Task A_wrong_password_is_said_on_the_sign_in_page_and_the_next_try_still_returns_to_the_session()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var context = await browsers.NewContextAsync(Device.Phone, shared.Server.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/sessions/{session.Label}");

        await page.GetByLabel("Email").FillAsync(account.Email);
        await page.GetByLabel("Password").FillAsync("not " + Account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong email or password.");
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync(account.Email);
        await Expect(page.GetByLabel("Password")).ToBeEmptyAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "catty_signin");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("signin-wrong-password-phone.png") });

        await Dashboard.SignInAsync(page, account);
        await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{session.Label}$"));
        await Expect(page.Locator(".status-bar .status-text")).ToHaveTextAsync("Connected");
    }

    [Fact]
    public async Task The_terminal_socket_uses_a_single_use_ticket_and_never_a_token_in_the_url()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        var url = Assert.Single(dashboard.Sockets).Url;
        var origin = shared.Server.BaseAddress.GetLeftPart(UriPartial.Authority).Replace("http://", "ws://", StringComparison.Ordinal);
        Assert.Matches(new Regex($"^{Regex.Escape(origin)}/v1/sessions/{session.SessionId}/connect\\?ticket=ctk_[A-Za-z0-9_-]+$"), url);
        Assert.DoesNotContain("cct_", url, StringComparison.Ordinal);
        Assert.DoesNotContain("catty_", url, StringComparison.Ordinal);

        // The same ticket a second time is refused, and the page stays connected on its own socket.
        var reused = await dashboard.Page.EvaluateAsync<string>(
            "url => new Promise(done => { const s = new WebSocket(url); s.onopen = () => done('open'); s.onerror = () => done('refused'); })", url);
        Assert.Equal("refused", reused);
        await Expect(dashboard.Status).ToHaveTextAsync("Connected");
    }

    [Fact]
    public async Task State_changes_from_the_dashboard_carry_the_csrf_token()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);

        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = $"Stop {session.Label}" }).ClickAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Stop session" }).ClickAsync();
        await Expect(dashboard.Row(session.Label)).ToHaveAttributeAsync("data-status", "stopped");
        Assert.Empty(dashboard.Refusals);

        // Without the header, the same cookie cannot change anything.
        var other = await account.CreateShellAsync();
        var answer = await dashboard.Page.EvaluateAsync<string>(
            "label => fetch(`/v1/sessions/${label}/stop`, { method: 'POST' }).then(async r => `${r.status} ${(await r.json()).error}`)", other.Label);
        Assert.Equal("403 csrf_failed", answer);
        Assert.Equal("running", (await account.Client.GetSessionAsync(other.Label)).Status);
    }

    [Fact]
    public async Task Signing_out_clears_the_cookie_and_an_expired_one_leads_back_to_sign_in()
    {
        var account = await shared.NewAccountAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        var page = dashboard.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        Assert.DoesNotContain(await dashboard.Context.CookiesAsync(), c => c.Name == "catty_signin");
        Assert.Empty(dashboard.Refusals);
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?return_to=%2F$"));

        // Signed in again, then the cookie goes (expired, or cleared): the next call leads back to sign-in.
        await Dashboard.SignInAsync(page, account);
        await Expect(page.Locator(".who")).ToHaveTextAsync(account.Email);
        await dashboard.Context.ClearCookiesAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?return_to=%2F$"));
    }

    [Fact]
    public async Task A_cookie_that_expires_in_the_session_view_leads_back_to_sign_in_there()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop, $"/sessions/{session.Label}");
        await dashboard.WaitConnectedAsync();

        // The socket outlives the cookie; the next ticket it asks for after a drop cannot be had.
        await dashboard.Context.ClearCookiesAsync();
        await account.Client.StopSessionAsync(session.Label);

        await Expect(dashboard.Page).ToHaveURLAsync(new Regex($"/signin\\?return_to=%2Fsessions%2F{session.Label}$"));
        await Dashboard.SignInAsync(dashboard.Page, account);
        await Expect(dashboard.Status).ToHaveTextAsync("Session stopped");
    }
}
