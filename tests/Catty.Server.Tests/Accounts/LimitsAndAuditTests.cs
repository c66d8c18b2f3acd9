using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Audit;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Accounts;

public sealed class LimitsAndAuditTests
{
    [Fact]
    public async Task Session_creation_past_the_per_minute_limit_is_429_with_retry_after()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Sessions:CreatesPerMinute"] = "2");
        await server.CreateShellAsync();
        await server.CreateShellAsync();

        using var third = await server.Client.Http.PostAsJsonAsync("v1/sessions", new CreateSessionRequest(Agent: "shell"), CattyJson.Default.CreateSessionRequest);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta is { } after && after > TimeSpan.Zero && after <= TimeSpan.FromMinutes(1), $"Retry-After: {third.Headers.RetryAfter}");
        Assert.Equal("rate_limited", (await third.Content.ReadFromJsonAsync(CattyJson.Default.ApiError))?.Error);
        var other = server.NewClient(await server.CreateWithTokenAsync("other@example.com"));
        await other.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
    }

    [Fact]
    public async Task The_owner_reads_sign_ins_tokens_and_sessions_in_the_audit_log_and_members_may_not()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("audited@example.com");
        using var browser = server.NewBrowser();
        using (await browser.SignInAsync("audited@example.com", "wrong password!"))
        {
        }

        await browser.SignInOrFailAsync("audited@example.com");
        var token = await server.Client.CreateTokenAsync(new CreateApiTokenRequest("audit me"));
        await server.Client.RevokeTokenAsync(token.Id);
        var session = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(session.Label);
        var member = server.NewClient(await server.CreateWithTokenAsync("member@example.com"));

        var events = await server.Client.ListAuditAsync();
        var refused = await Assert.ThrowsAsync<CattyApiException>(() => member.ListAuditAsync());

        Assert.Equal((HttpStatusCode.Forbidden, "owner_only"), (refused.Status, refused.Error));
        Assert.Equal(events.OrderByDescending(e => e.Id).Select(e => e.Id), events.Select(e => e.Id));
        Assert.Contains(events, e => e.Kind == AuditKinds.SignInFailed && e.Email == "audited@example.com" && e.SourceAddress == "127.0.0.1");
        Assert.Contains(events, e => e.Kind == AuditKinds.SignIn && e.UserId is not null && e.At > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Contains(events, e => e.Kind == AuditKinds.TokenCreated && e.Detail == "audit me");
        Assert.Contains(events, e => e.Kind == AuditKinds.TokenRevoked && e.Detail == "audit me");
        Assert.Contains(events, e => e.Kind == AuditKinds.SessionCreated && e.Detail!.StartsWith(session.Label, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Kind == AuditKinds.SessionStopped && e.Detail == session.Label);
        Assert.DoesNotContain(events, e => (e.Detail ?? "").Contains(token.Token, StringComparison.Ordinal));
        Assert.Equal(2, (await server.Client.ListAuditAsync(limit: 2)).Count);
        var badLimit = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ListAuditAsync(limit: 0));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_limit"), (badLimit.Status, badLimit.Error));
    }

    [Fact]
    public async Task Agents_lists_every_configured_agent_and_whether_it_is_installed()
    {
        await using var server = await CattyTestServer.StartAsync();

        var agents = await server.Client.ListAgentsAsync();

        Assert.Equal(["claude", "codex", "shell"], agents.Select(a => a.Name));
        Assert.True(agents.Single(a => a.Name == "shell").Installed);
        Assert.Equal(Catty.Server.CodingAgents.ExecutableSearch.Find("claude") is not null, agents.Single(a => a.Name == "claude").Installed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.NewClient(null).Http.GetAsync("v1/agents")).StatusCode);
    }
}
