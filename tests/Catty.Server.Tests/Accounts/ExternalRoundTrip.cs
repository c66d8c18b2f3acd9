using System.Net;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Accounts;

/// <summary>The browser's redirect dance Catty → provider → Catty callback, followed by hand so tests can look at each step.</summary>
internal static class ExternalRoundTrip
{
    /// <summary>Runs the whole dance; returns where Catty finally sends the browser, failing the test unless it redirected.</summary>
    public static async Task<string?> RunAsync(CattyTestServer server, BrowserClient browser, string provider, string start)
    {
        using var callback = await browser.Http.GetAsync(await ToCallbackAsync(server, browser, provider, start));
        var body = await callback.Content.ReadAsStringAsync();
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"callback answered {(int)callback.StatusCode}: {body}\n{server.Logs.Problems}");
        return callback.Headers.Location?.OriginalString;
    }

    /// <summary>Runs the whole dance expecting Catty to refuse at the callback; returns its answer.</summary>
    public static async Task<(HttpStatusCode Status, string Html)> RefusedAsync(CattyTestServer server, BrowserClient browser, string provider, string start)
    {
        using var callback = await browser.Http.GetAsync(await ToCallbackAsync(server, browser, provider, start));
        return (callback.StatusCode, await callback.Content.ReadAsStringAsync());
    }

    /// <summary>Starts at Catty, passes the provider, and returns the callback URL the provider sent the browser back to (relative to Catty).</summary>
    public static async Task<string> ToCallbackAsync(CattyTestServer server, BrowserClient browser, string provider, string start)
    {
        using var challenge = await browser.Http.GetAsync(start);
        Assert.True(challenge.StatusCode == HttpStatusCode.Redirect,
            $"challenge answered {(int)challenge.StatusCode}: {await challenge.Content.ReadAsStringAsync()}\n{server.Logs.Problems}");
        using var authorize = await browser.Http.GetAsync(challenge.Headers.Location);
        Assert.True(authorize.StatusCode == HttpStatusCode.Redirect, $"the provider answered {(int)authorize.StatusCode}: {await authorize.Content.ReadAsStringAsync()}");
        var back = authorize.Headers.Location!;
        Assert.StartsWith(browser.OwnOrigin + "/signin/callback/" + provider, back.AbsoluteUri, StringComparison.Ordinal);
        return back.PathAndQuery.TrimStart('/');
    }

    /// <summary>The token of an invite link.</summary>
    public static string InviteToken(string inviteUrl) => new Uri(inviteUrl).Query.Split("token=")[1];
}
