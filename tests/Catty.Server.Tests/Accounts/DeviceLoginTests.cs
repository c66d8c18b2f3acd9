using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Accounts;

public class DeviceLoginTests
{
    /// <summary>Where the servers of these tests keep their metadata: SQLite here, PostgreSQL in the subclass.</summary>
    private protected virtual void ChooseDatabase(ServerSetup setup)
    {
    }

    private Task<CattyTestServer> StartServerAsync(Action<ServerSetup>? configure = null) =>
        CattyTestServer.StartAsync(setup =>
        {
            ChooseDatabase(setup);
            configure?.Invoke(setup);
        });

    [Fact]
    public async Task The_whole_device_login_as_a_cli_does_it_ends_with_logout_refusing_the_tokens()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        var userId = await server.CreateWithPasswordAsync("dev@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("dev@example.com");
        var cli = server.NewClient(null);

        var start = await cli.StartDeviceLoginAsync();
        Assert.Equal(5, start.Interval);
        Assert.True(start.ExpiresIn > 0);
        Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", start.UserCode);
        Assert.Equal(new Uri(server.BaseAddress, "/device"), new Uri(start.VerificationUri));
        Assert.Contains(Uri.EscapeDataString(start.UserCode), start.VerificationUriComplete, StringComparison.Ordinal);

        var pending = await cli.PollDeviceLoginAsync(start.DeviceCode);
        Assert.Equal((true, null), (pending.Pending, pending.Error));
        var stillPending = await DeviceLoginFlow.PollAfterIntervalAsync(server, cli, start);
        Assert.True(stillPending.IsPending);

        using (var approved = await DeviceLoginFlow.DecideAsync(browser, start, "approve"))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
            Assert.Equal("/device?done=approved", approved.Headers.Location?.OriginalString);
        }

        var tokens = await DeviceLoginFlow.PollAfterIntervalAsync(server, cli, start);
        Assert.True(tokens.IsApproved, $"{tokens.Error}: {tokens.Message}");
        Assert.Equal(new UserRef(userId, "dev@example.com"), tokens.User);
        Assert.InRange(tokens.ExpiresIn ?? 0, (15 * 60) - 1, 15 * 60);

        cli.UseToken(tokens.AccessToken);
        Assert.Empty(await cli.ListSessionsAsync());
        Assert.Equal("dev@example.com", (await cli.GetMeAsync()).User.Email);

        var refreshed = await cli.RefreshAsync(tokens.RefreshToken!);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.Equal(userId, refreshed.User?.Id);
        cli.UseToken(refreshed.AccessToken);
        Assert.Empty(await cli.ListSessionsAsync());

        var loggedOut = await cli.LogoutAsync();
        Assert.Equal("/signin", loggedOut.LogoutUrl);

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => cli.ListSessionsAsync());
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (refused.Status, refused.Error));
        var noRefresh = await Assert.ThrowsAsync<CattyApiException>(() => server.NewClient(null).RefreshAsync(refreshed.RefreshToken));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (noRefresh.Status, noRefresh.Error));
        cli.UseToken(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<CattyApiException>(() => cli.ListSessionsAsync())).Status);

        // Credentials are kept hashed (or encrypted) and never logged, even at Trace.
        var secrets = new[] { start.DeviceCode, tokens.AccessToken!, tokens.RefreshToken!, refreshed.AccessToken, refreshed.RefreshToken, Users.Password };
        foreach (var secret in secrets)
        {
            var leaked = server.Logs.Lines.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"a credential is in the log: {leaked}");
            foreach (var file in Directory.EnumerateFiles(server.DataDir.Path, "catty.db*"))
            {
                Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_denied_login_answers_access_denied()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        await server.CreateWithPasswordAsync("deny@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("deny@example.com");
        var cli = server.NewClient(null);
        var start = await DeviceLoginFlow.StartAsync(cli);

        using (var denied = await DeviceLoginFlow.DecideAsync(browser, start, "deny"))
        {
            Assert.Equal("/device?done=denied", denied.Headers.Location?.OriginalString);
        }

        var answer = await DeviceLoginFlow.PollAfterIntervalAsync(server, cli, start);
        Assert.Equal("access_denied", answer.Error);
        Assert.False(string.IsNullOrEmpty(answer.Message));
        Assert.Null(answer.AccessToken);
    }

    [Fact]
    public async Task An_unapproved_login_expires()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        var cli = server.NewClient(null);
        var start = await DeviceLoginFlow.StartAsync(cli);

        server.Clock!.Advance(TimeSpan.FromSeconds(start.ExpiresIn + 1));
        var answer = await cli.PollDeviceLoginAsync(start.DeviceCode);

        Assert.Equal("expired_token", answer.Error);
        Assert.Null(answer.AccessToken);
    }

    [Fact]
    public async Task Polling_faster_than_the_interval_is_slow_down_429_with_retry_after()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        var cli = server.NewClient(null);
        var start = await DeviceLoginFlow.StartAsync(cli);

        using var tooSoon = await cli.Http.PostAsJsonAsync("v1/auth/device/token", new DeviceTokenRequest(start.DeviceCode), CattyJson.Default.DeviceTokenRequest);

        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), tooSoon.Headers.RetryAfter?.Delta);
        var body = await tooSoon.Content.ReadFromJsonAsync(CattyJson.Default.DeviceTokenResponse);
        Assert.Equal("slow_down", body?.Error);
        Assert.True((await DeviceLoginFlow.PollAfterIntervalAsync(server, cli, start)).IsPending);
    }

    [Fact]
    public async Task Reusing_a_spent_refresh_token_revokes_the_whole_login()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        await server.CreateWithPasswordAsync("reuse@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("reuse@example.com");
        var cli = server.NewClient(null);
        var first = await DeviceLoginFlow.LoginAsync(server, cli, browser);
        var second = await cli.RefreshAsync(first.RefreshToken!);
        cli.UseToken(second.AccessToken);
        Assert.Empty(await cli.ListSessionsAsync());

        var replay = await Assert.ThrowsAsync<CattyApiException>(() => server.NewClient(null).RefreshAsync(first.RefreshToken!));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (replay.Status, replay.Error));
        var revoked = await Assert.ThrowsAsync<CattyApiException>(() => server.NewClient(null).RefreshAsync(second.RefreshToken));
        Assert.Equal("invalid_grant", revoked.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<CattyApiException>(() => cli.ListSessionsAsync())).Status);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_and_a_refresh_brings_a_working_one()
    {
        await using var server = await StartServerAsync(s => s.HandClock());
        await server.CreateWithPasswordAsync("expiry@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("expiry@example.com");
        var cli = server.NewClient(null);
        var tokens = await DeviceLoginFlow.LoginAsync(server, cli, browser);
        cli.UseToken(tokens.AccessToken);
        Assert.Empty(await cli.ListSessionsAsync());

        server.Clock!.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<CattyApiException>(() => cli.ListSessionsAsync())).Status);
        var refreshed = await cli.RefreshAsync(tokens.RefreshToken!);
        cli.UseToken(refreshed.AccessToken);
        Assert.Empty(await cli.ListSessionsAsync());
    }

    [Fact]
    public async Task Bad_device_login_requests_get_the_api_error_shape()
    {
        await using var server = await StartServerAsync();
        var http = server.NewClient(null).Http;

        using var notJson = await http.PostAsync("v1/auth/device/token", new StringContent("device_code", System.Text.Encoding.UTF8, "application/json"));
        using var noCode = await http.PostAsync("v1/auth/device/token", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var unknown = await server.NewClient(null).PollDeviceLoginAsync("not-a-device-code");
        var badRefresh = await Assert.ThrowsAsync<CattyApiException>(() => server.NewClient(null).RefreshAsync("not-a-refresh-token"));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("\"error\":\"invalid_request\"", await notJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("device_code", await noCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("invalid_grant", unknown.Error);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (badRefresh.Status, badRefresh.Error));
    }

    [Fact]
    public async Task The_verification_page_sends_a_signed_out_person_to_sign_in_first()
    {
        await using var server = await StartServerAsync();
        var start = await server.NewClient(null).StartDeviceLoginAsync();
        using var browser = server.NewBrowser();

        using var page = await browser.Http.GetAsync(new Uri(start.VerificationUriComplete).PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin?return_to=%2Fdevice%3Fuser_code%3D", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_code_creation_is_limited_per_address_and_the_limit_lifts_after_a_minute()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.HandClock();
            s.Settings["Catty:Auth:DeviceCodesPerMinute"] = "5";
        });
        var cli = server.NewClient(null);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        for (var i = 0; i < 5; i++)
        {
            Assert.False(string.IsNullOrEmpty((await cli.StartDeviceLoginAsync()).DeviceCode));
        }

        var limited = await Assert.ThrowsAsync<CattyApiException>(() => cli.StartDeviceLoginAsync());
        using var viaOAuth = await http.PostAsync("connect/device", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "catty-cli" }));
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (limited.Status, limited.Error));
        Assert.Contains("at most 5 a minute", limited.ApiMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, viaOAuth.StatusCode);
        Assert.True(viaOAuth.Headers.RetryAfter?.Delta is { } after && after > TimeSpan.Zero && after <= TimeSpan.FromMinutes(1));

        server.Clock!.Advance(TimeSpan.FromMinutes(1));
        Assert.False(string.IsNullOrEmpty((await cli.StartDeviceLoginAsync()).DeviceCode));
    }
}

/// <summary>The same tests with the metadata in PostgreSQL.</summary>
public sealed class DeviceLoginTestsOnPostgres : DeviceLoginTests
{
    private protected override void ChooseDatabase(ServerSetup setup) => setup.UsePostgres();
}
