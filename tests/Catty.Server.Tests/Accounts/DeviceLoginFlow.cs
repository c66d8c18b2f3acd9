using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Accounts;

/// <summary>The device login as a CLI and a person in a browser do it, step by step, on a fake clock.</summary>
internal static class DeviceLoginFlow
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Starts a login with <paramref name="cli"/> and checks the first poll says pending.</summary>
    public static async Task<DeviceAuthorization> StartAsync(CattyClient cli)
    {
        var start = await cli.StartDeviceLoginAsync();
        Assert.True((await cli.PollDeviceLoginAsync(start.DeviceCode)).IsPending);
        return start;
    }

    /// <summary>The signed-in <paramref name="browser"/> opens the verification link and presses a button.</summary>
    public static async Task<HttpResponseMessage> DecideAsync(BrowserClient browser, DeviceAuthorization start, string decision)
    {
        using var page = await browser.Http.GetAsync(new Uri(start.VerificationUriComplete).PathAndQuery.TrimStart('/'));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"verification page answered {(int)page.StatusCode}: {html}");
        Assert.Contains(start.UserCode, html, StringComparison.Ordinal);
        return await browser.PostFormAsync("device", new Dictionary<string, string>
        {
            ["csrf_token"] = BrowserClient.FormValue(html, "csrf_token"),
            ["user_code"] = BrowserClient.FormValue(html, "user_code"),
            ["decision"] = decision,
        });
    }

    /// <summary>Waits out the poll interval on the fake clock, then polls once.</summary>
    public static Task<DeviceTokenResponse> PollAfterIntervalAsync(CattyTestServer server, CattyClient cli, DeviceAuthorization start)
    {
        server.Clock!.Advance(PollInterval);
        return cli.PollDeviceLoginAsync(start.DeviceCode);
    }

    /// <summary>A whole approved login for the user signed in to <paramref name="browser"/>; the CLI's tokens.</summary>
    public static async Task<DeviceTokenResponse> LoginAsync(CattyTestServer server, CattyClient cli, BrowserClient browser)
    {
        var start = await StartAsync(cli);
        using var approved = await DecideAsync(browser, start, "approve");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var tokens = await PollAfterIntervalAsync(server, cli, start);
        Assert.True(tokens.IsApproved, $"expected tokens, got error {tokens.Error}: {tokens.Message}");
        return tokens;
    }
}
