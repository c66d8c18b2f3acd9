using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Accounts;

/// <summary>The browser contract: cookie requests need the server's own Origin, and state changes the CSRF header.</summary>
public sealed class CookieRequestTests
{
    [Fact]
    public async Task A_signed_in_browser_lists_sessions_with_its_cookie_alone()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("list@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("list@example.com");

        var sessions = await browser.Http.GetFromJsonAsync("v1/sessions", CattyJson.Default.ListSessionInfo);

        Assert.NotNull(sessions);
        Assert.Empty(sessions);
    }

    [Fact]
    public async Task A_cookie_state_change_without_the_csrf_header_is_403_csrf_failed()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("post@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("post@example.com");
        var me = await browser.MeAsync();
        JsonContent Body() => JsonContent.Create(new CreateApiTokenRequest("from the browser"), CattyJson.Default.CreateApiTokenRequest);

        using var missing = await browser.SendApiAsync(HttpMethod.Post, "v1/tokens", Body());
        using var forged = await browser.SendApiAsync(HttpMethod.Post, "v1/tokens", Body(), csrf: "forged");
        using var good = await browser.SendApiAsync(HttpMethod.Post, "v1/tokens", Body(), csrf: me.CsrfToken);

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("csrf_failed", (await missing.Content.ReadFromJsonAsync(CattyJson.Default.ApiError))?.Error);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("csrf_failed", (await forged.Content.ReadFromJsonAsync(CattyJson.Default.ApiError))?.Error);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task A_cookie_request_from_a_foreign_origin_is_403_forbidden_origin_even_with_the_token()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("origin@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("origin@example.com");
        var me = await browser.MeAsync();

        using var post = await browser.SendApiAsync(HttpMethod.Post, "v1/auth/logout", csrf: me.CsrfToken, origin: "https://evil.example");
        using var get = await browser.SendApiAsync(HttpMethod.Get, "v1/sessions", origin: "http://localhost:1");

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("forbidden_origin", (await post.Content.ReadFromJsonAsync(CattyJson.Default.ApiError))?.Error);
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal("forbidden_origin", (await get.Content.ReadFromJsonAsync(CattyJson.Default.ApiError))?.Error);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Bearer_calls_need_neither_origin_nor_csrf()
    {
        await using var server = await CattyTestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/tokens")
        {
            Content = JsonContent.Create(new CreateApiTokenRequest("script"), CattyJson.Default.CreateApiTokenRequest),
        };
        request.Headers.Add("Origin", "https://elsewhere.example");

        using var answer = await server.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
