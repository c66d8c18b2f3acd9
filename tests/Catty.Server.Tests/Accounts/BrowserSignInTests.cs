using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Audit;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests.Accounts;

public sealed class BrowserSignInTests
{
    [Fact]
    public async Task The_sign_in_page_is_a_plain_form_for_phones()
    {
        await using var server = await CattyTestServer.StartAsync();
        using var browser = server.NewBrowser();

        using var page = await browser.Http.GetAsync("signin?return_to=%2Fsessions");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name=\"viewport\" content=\"width=device-width,initial-scale=1\"", html, StringComparison.Ordinal);
        Assert.Equal("/sessions", BrowserClient.FormValue(html, "return_to"));
        Assert.NotEmpty(BrowserClient.FormValue(html, "csrf_token"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_password_sign_in_sets_an_http_only_same_site_cookie_and_returns_to_the_page()
    {
        await using var server = await CattyTestServer.StartAsync();
        var id = await server.CreateWithPasswordAsync("ann@example.com");
        using var browser = server.NewBrowser();

        using var answer = await browser.SignInAsync("Ann@Example.com ", Users.Password, returnTo: "/sessions/brave-tiger-1234");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/sessions/brave-tiger-1234", answer.Headers.Location?.OriginalString);
        var setCookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("catty_signin=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        var me = await browser.MeAsync();
        Assert.Equal(new UserInfo(id, "ann@example.com", "Test ann@example.com", "member"), me.User);
        Assert.NotEmpty(me.CsrfToken);
        var audit = await server.WithDbAsync(db => db.AuditEvents.Where(a => a.Kind == AuditKinds.SignIn && a.UserId == id).ToListAsync());
        Assert.Equal("127.0.0.1", Assert.Single(audit).SourceAddress);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task A_return_to_that_leaves_the_site_goes_home_instead(string returnTo)
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("ret@example.com");
        using var browser = server.NewBrowser();

        using var answer = await browser.SignInAsync("ret@example.com", Users.Password, returnTo);

        Assert.Equal("/", answer.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_recorded_and_throttled_per_account()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Auth:FailedSignInsPerAccount"] = "3";
            s.Settings["Catty:Auth:SignInAttemptsPerMinute"] = "100";
        });
        await server.CreateWithPasswordAsync("bob@example.com");
        using var browser = server.NewBrowser();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var wrong = await browser.SignInAsync("bob@example.com", "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Wrong email or password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var throttled = await browser.SignInAsync("bob@example.com", Users.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(15), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("v1/auth/me")).StatusCode);
        Assert.Equal(3, await server.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Kind == AuditKinds.SignInFailed && a.Email == "bob@example.com")));
        using var unknown = await browser.SignInAsync("nobody@example.com", "whatever-password");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_throttled_with_retry_after()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Auth:SignInAttemptsPerMinute"] = "2");
        using var browser = server.NewBrowser();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var wrong = await browser.SignInAsync($"guess{attempt}@example.com", "guessing-password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await browser.SignInAsync("guess9@example.com", "guessing-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_sign_in_form_posted_from_another_site_or_without_its_token_is_refused()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("csrf@example.com");
        using var browser = server.NewBrowser();
        var page = await browser.Http.GetStringAsync("signin");
        var fields = new Dictionary<string, string>
        {
            ["csrf_token"] = BrowserClient.FormValue(page, "csrf_token"),
            ["email"] = "csrf@example.com",
            ["password"] = Users.Password,
        };

        using var foreign = await browser.PostFormAsync("signin", fields, origin: "https://evil.example");
        using var noToken = await browser.PostFormAsync("signin", new Dictionary<string, string>(fields) { ["csrf_token"] = "forged" });

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Me_without_a_cookie_is_401_in_the_error_shape()
    {
        await using var server = await CattyTestServer.StartAsync();
        using var browser = server.NewBrowser();

        using var me = await browser.Http.GetAsync("v1/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("unauthorized", (await me.Content.ReadFromJsonAsync(Catty.Sdk.CattyJson.Default.ApiError))?.Error);
    }

    [Fact]
    public async Task Sign_out_needs_the_csrf_header_then_clears_the_cookie()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("out@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("out@example.com");
        var me = await browser.MeAsync();

        using var withoutHeader = await browser.SendApiAsync(HttpMethod.Post, "v1/auth/logout");
        Assert.Equal(HttpStatusCode.Forbidden, withoutHeader.StatusCode);
        Assert.Contains("csrf_failed", await withoutHeader.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signOut = await browser.SendApiAsync(HttpMethod.Post, "v1/auth/logout", csrf: me.CsrfToken);
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal(new LogoutResponse("Signed out.", "/signin"), await signOut.Content.ReadFromJsonAsync(CattyJson.Default.LogoutResponse));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task The_owner_sets_a_password_after_the_first_start_link_and_then_signs_in_with_it()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.Client.SetPasswordAsync(new SetPasswordRequest("a brand new password"));
        var change = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.SetPasswordAsync(new SetPasswordRequest("another new password")));
        var tooShort = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.SetPasswordAsync(new SetPasswordRequest("short", "a brand new password")));
        using var browser = server.NewBrowser();

        await browser.SignInOrFailAsync("owner@localhost", "a brand new password");

        Assert.Equal((HttpStatusCode.Forbidden, "wrong_password"), (change.Status, change.Error));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_password"), (tooShort.Status, tooShort.Error));
        Assert.Equal("owner", (await browser.MeAsync()).User.Role);
    }
}
