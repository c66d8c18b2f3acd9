using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

/// <summary><c>POST /v1/sessions/{id}/extend</c>: a later deadline the scheduler honours, bounded ahead of now.</summary>
public sealed class ExtendTests
{
    [Fact]
    public async Task Extend_moves_the_deadline_the_scheduler_keeps_and_refuses_past_the_limit_or_after_stop()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.FakeClock = true;
            s.Settings["Catty:Scheduling:Interval"] = "00:00:01";
            s.Settings["Catty:Scheduling:InactivityLimit"] = "00:00:00";
        });
        var session = await server.CreateShellAsync(ttlSec: 3600);
        var created = await server.Client.GetSessionAsync(session.Label);

        var extended = await server.Client.ExtendSessionAsync(session.Label, 3600);

        Assert.Equal(created.ExpiresAt!.Value.AddHours(1), extended.ExpiresAt);
        Assert.Equal(extended.ExpiresAt, (await server.Client.GetSessionAsync(session.SessionId.ToString())).ExpiresAt);

        // Past the old deadline the session still runs; the new one stops it.
        await server.AdvanceAndTickAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label)).Status);

        // 59 min are left and the default limit is 8 h from now: 422 min more is refused, 421 min fits exactly.
        var tooLong = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ExtendSessionAsync(session.Label, 422 * 60));
        Assert.Equal((HttpStatusCode.BadRequest, "extend_too_long"), (tooLong.Status, tooLong.Error));
        Assert.Equal($"A session may run at most 8 h from now; {session.Label} can be extended by 421 min at most.", tooLong.ApiMessage);
        var full = await server.Client.ExtendSessionAsync(session.Label, 421 * 60);
        var noRoom = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ExtendSessionAsync(session.Label, 3600));
        Assert.Contains("already runs that long", noRoom.ApiMessage, StringComparison.Ordinal);
        Assert.Equal(full.ExpiresAt, (await server.Client.GetSessionAsync(session.Label)).ExpiresAt);

        foreach (var seconds in new[] { 0, -5 })
        {
            var bad = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ExtendSessionAsync(session.Label, seconds));
            Assert.Equal((HttpStatusCode.BadRequest, "invalid_ttl"), (bad.Status, bad.Error));
        }

        var unknown = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ExtendSessionAsync("no-such-label-0000", 60));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        await server.Client.StopSessionAsync(session.Label);
        var stopped = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ExtendSessionAsync(session.Label, 60));
        Assert.Equal((HttpStatusCode.Conflict, "session_not_running"), (stopped.Status, stopped.Error));
        Assert.Contains("Resume it instead", stopped.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_limit_comes_from_configuration()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Sessions:MaxExtendAhead"] = "02:00:00");
        var session = await server.CreateShellAsync(ttlSec: 3600);

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ExtendSessionAsync(session.Label, 2 * 3600));

        Assert.Equal("extend_too_long", refused.Error);
        Assert.StartsWith("A session may run at most 2 h from now;", refused.ApiMessage, StringComparison.Ordinal);
        await server.Client.StopSessionAsync(session.Label);
    }
}
