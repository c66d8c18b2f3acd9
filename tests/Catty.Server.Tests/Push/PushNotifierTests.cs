using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Catty.Sdk.Api;
using Catty.Server.Attention;
using Catty.Server.Push;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Push;

/// <summary>
/// What happens to a session reaches its owner's subscribed browsers as pushes a loopback push service
/// decrypts with each subscription's keys: the events each subscription switched on, none while a page
/// shows the session visibly, none for the owner's own stop, never a flood, and gone subscriptions dropped.
/// </summary>
public sealed class PushNotifierTests
{
    // Stands in for Claude Code: waits for the person's line, then its Notification hook asks for permission.
    private const string AsksPermission = """
        read line
        printf '%s' '{"hook_event_name":"Notification","notification_type":"permission_prompt"}' | node "$HOME/.catty/hook.js" claude Notification
        echo asked
        exec sleep 600
        """;

    [Fact]
    public async Task A_permission_prompt_from_the_agents_hook_arrives_encrypted_and_signed_and_its_result_is_kept()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await StartAsync(pushService, s =>
        {
            s.Settings["Catty:Agents:Available:hooked:Command:0"] = "sh";
            s.Settings["Catty:Agents:Available:hooked:Command:1"] = "-c";
            s.Settings["Catty:Agents:Available:hooked:Command:2"] = AsksPermission;
            s.Settings["Catty:Agents:Available:hooked:Attention"] = "claude";
        });
        using var phone = WebPushReceiver.Create();
        using var laptop = WebPushReceiver.Create();
        await SubscribeAsync(server, pushService.Prefix + "phone", phone);
        await SubscribeAsync(server, pushService.Prefix + "laptop", laptop, "\"stopped\"");
        using var notices = new NoticeLog(server);

        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "hooked"));
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("go\r");
            await terminal.ReadUntilAsync("asked");
        }

        var handled = await notices.NextAsync(PushEvents.NeedsInput);
        Assert.Equal(1, handled.Sent);
        var push = await pushService.NextAsync();
        Assert.Equal("/push/phone", push.Path);
        using var payload = JsonDocument.Parse(phone.Decrypt(push.Body));
        var message = payload.RootElement;
        Assert.Equal(("needs_input", session.Label, $"{session.Label} needs you", $"/sessions/{session.Label}"),
            (message.GetProperty("event").GetString(), message.GetProperty("label").GetString(), message.GetProperty("title").GetString(), message.GetProperty("url").GetString()));
        Assert.Equal(session.SessionId, message.GetProperty("session_id").GetGuid());
        var signer = WebPushReceiver.VerifyVapid(push.Authorization, $"{pushService.BaseAddress.Scheme}://{pushService.BaseAddress.Host}", DateTimeOffset.UtcNow);
        Assert.Equal((await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/key")).GetProperty("public_key").GetString(), signer);
        Assert.Equal("high", push.Urgency);

        var kept = (await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray()
            .Single(s => s.GetProperty("endpoint").GetString()!.EndsWith("/phone", StringComparison.Ordinal));
        Assert.Equal(("delivered", 201), (kept.GetProperty("last_outcome").GetString(), kept.GetProperty("last_status").GetInt32()));
        Assert.True(kept.GetProperty("last_delivered_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        // The owner's own stop is no news to them.
        await server.Client.StopSessionAsync(session.Label);
        Assert.Equal("stopped by its owner", (await notices.NextAsync(PushEvents.Stopped)).Skipped);
        Assert.False(pushService.TryTake(out _));
    }

    [Fact]
    public async Task A_visible_page_holds_pushes_back_a_hidden_or_silent_one_does_not_and_a_flipping_session_cannot_flood()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await StartAsync(pushService, s =>
        {
            s.FakeClock = true;
            s.Settings["Catty:Scheduling:Interval"] = "1.00:00:00";
            s.Settings["Catty:Snapshots:Tick"] = "1.00:00:00";
            s.Settings["Catty:Agents:Available:still:Command:0"] = "sleep";
            s.Settings["Catty:Agents:Available:still:Command:1"] = "600";
            s.Settings["Catty:Agents:Available:still:Attention"] = "claude";
        });
        using var phone = WebPushReceiver.Create();
        await SubscribeAsync(server, pushService.Prefix + "phone", phone);
        using var notices = new NoticeLog(server);
        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "still"));
        var owner = await server.WithDbAsync(db => db.Sessions.Where(s => s.Id == session.SessionId).Select(s => s.OwnerId).FirstAsync());
        var board = server.App.Services.GetRequiredService<AttentionBoard>();
        void Report(string state) => board.Set(session.SessionId, owner, state, server.Clock!.GetUtcNow());

        // The first state seen is where the session starts, not news (as after a server restart).
        Report(AttentionState.Working);
        await PresenceAsync(server.Client.Http, "page-1", session.Label, visible: true);
        Report(AttentionState.NeedsInput);
        Assert.Equal("shown on one of the owner's pages", (await notices.NextAsync(PushEvents.NeedsInput)).Skipped);

        // Another user's page on the same session counts for nothing; it cannot even name the session.
        var otherToken = await server.CreateWithTokenAsync("other@example.com");
        using (var notTheirs = await PushSubscriptionTests.PostAsync(server.NewClient(otherToken).Http,
            $$"""{"page":"page-9","session":"{{session.Label}}","visible":true}""", "/v1/push/presence"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        }

        await PresenceAsync(server.Client.Http, "page-1", session.Label, visible: false);
        Report(AttentionState.Idle);
        Assert.Equal(1, (await notices.NextAsync(PushEvents.Idle)).Sent);
        Assert.Equal("idle", JsonDocument.Parse(phone.Decrypt((await pushService.NextAsync()).Body)).RootElement.GetProperty("event").GetString());

        // A page that stops repeating itself is gone after PresenceTimeout.
        await PresenceAsync(server.Client.Http, "page-1", session.Label, visible: true);
        Report(AttentionState.Working);
        Report(AttentionState.NeedsInput);
        Assert.Equal("shown on one of the owner's pages", (await notices.NextAsync(PushEvents.NeedsInput)).Skipped);
        server.Clock!.Advance(TimeSpan.FromSeconds(91));
        Report(AttentionState.Working);
        Report(AttentionState.NeedsInput);
        Assert.Equal(1, (await notices.NextAsync(PushEvents.NeedsInput)).Sent);
        Assert.True(pushService.TryTake(out _) || await pushService.NextAsync() is not null);

        // A session flipping its state fast gets one push per event per MinInterval, whatever it reports.
        for (var i = 0; i < 20; i++)
        {
            Report(AttentionState.Working);
            Report(i % 2 == 0 ? AttentionState.Idle : AttentionState.NeedsInput);
        }

        var results = new List<PushNoticeResult>();
        for (var i = 0; i < 20; i++)
        {
            results.Add(await notices.NextAsync(null));
        }

        Assert.Equal(1, results.Sum(r => r.Sent));
        Assert.All(results.Where(r => r.Sent == 0), r => Assert.Equal("sent recently", r.Skipped));
        await pushService.NextAsync();
        Assert.False(pushService.TryTake(out _));

        using var badPage = await PushSubscriptionTests.PostAsync(server.Client.Http, """{"page":"../x","session":null,"visible":true}""", "/v1/push/presence");
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    [Fact]
    public async Task The_auto_stop_warns_ten_minutes_ahead_then_says_the_time_ran_out_and_a_gone_subscription_is_dropped()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await StartAsync(pushService, s =>
        {
            s.FakeClock = true;
            s.Settings["Catty:Scheduling:Interval"] = "00:05:00";
            s.Settings["Catty:Snapshots:Tick"] = "1.00:00:00";
        });
        using var phone = WebPushReceiver.Create();
        using var old = WebPushReceiver.Create();
        using var quiet = WebPushReceiver.Create();
        await SubscribeAsync(server, pushService.Prefix + "phone", phone, "\"expiring\",\"stopped\"");
        await SubscribeAsync(server, pushService.Prefix + "gone", old, "\"expiring\"");
        await SubscribeAsync(server, pushService.Prefix + "quiet", quiet, "\"needs_input\"");
        using var notices = new NoticeLog(server);
        var session = await server.CreateShellAsync(ttlSec: 3600);

        await server.AdvanceAndTickAsync(TimeSpan.FromMinutes(45));
        Assert.False(notices.TryTake(out _));
        await server.AdvanceAndTickAsync(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await notices.NextAsync(PushEvents.Expiring)).Sent);
        var pushes = new[] { await pushService.NextAsync(), await pushService.NextAsync() }.ToDictionary(p => p.Path);
        using (var warning = JsonDocument.Parse(phone.Decrypt(pushes["/push/phone"].Body)))
        {
            Assert.Equal(("expiring", $"{session.Label} stops soon"), (warning.RootElement.GetProperty("event").GetString(), warning.RootElement.GetProperty("title").GetString()));
            Assert.Contains("10 minutes", warning.RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        }

        // The push service said 410: that subscription is gone for good.
        var endpoints = (await server.Client.Http.GetFromJsonAsync<JsonElement>("/v1/push/subscriptions")).EnumerateArray().Select(s => s.GetProperty("endpoint").GetString()).ToList();
        Assert.Equal([pushService.Prefix + "phone", pushService.Prefix + "quiet"], endpoints);

        // One warning per deadline, however many ticks see it near.
        await server.AdvanceAndTickAsync(TimeSpan.FromMinutes(5));
        Assert.False(notices.TryTake(out _));

        await server.AdvanceAndTickAsync(TimeSpan.FromMinutes(5));
        await server.WaitForEndAsync(session.SessionId, "the deadline stop");
        Assert.Equal(1, (await notices.NextAsync(PushEvents.Stopped)).Sent);
        using var stopped = JsonDocument.Parse(phone.Decrypt((await pushService.NextAsync()).Body));
        Assert.Equal(("stopped", "duration_elapsed", "Its time ran out."),
            (stopped.RootElement.GetProperty("event").GetString(), stopped.RootElement.GetProperty("stop_reason").GetString(), stopped.RootElement.GetProperty("body").GetString()));
        Assert.False(pushService.TryTake(out _));
    }

    [Fact]
    public async Task A_program_that_exits_on_its_own_pushes_its_exit_code()
    {
        await using var pushService = await LoopbackPushService.StartAsync();
        await using var server = await StartAsync(pushService);
        using var phone = WebPushReceiver.Create();
        await SubscribeAsync(server, pushService.Prefix + "phone", phone, "\"stopped\"");
        using var notices = new NoticeLog(server);
        var session = await server.CreateShellAsync();

        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("exit 3\r");
            await server.WaitForEndAsync(session.SessionId, "the shell's exit");
        }

        Assert.Equal(1, (await notices.NextAsync(PushEvents.Stopped)).Sent);
        using var payload = JsonDocument.Parse(phone.Decrypt((await pushService.NextAsync()).Body));
        Assert.Equal(("agent_exited", 3, "The program exited with code 3."),
            (payload.RootElement.GetProperty("stop_reason").GetString(), payload.RootElement.GetProperty("exit_code").GetInt32(), payload.RootElement.GetProperty("body").GetString()));
    }

    private static Task<CattyTestServer> StartAsync(LoopbackPushService pushService, Action<ServerSetup>? configure = null) =>
        CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Push:AllowedEndpoints:0"] = pushService.Prefix;
            configure?.Invoke(s);
        });

    private static async Task SubscribeAsync(CattyTestServer server, string endpoint, WebPushReceiver receiver, string? events = null)
    {
        using var added = await PushSubscriptionTests.PostAsync(server.Client.Http, PushSubscriptionTests.Subscription(endpoint, receiver.P256dh, receiver.Auth, events));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    private static async Task PresenceAsync(HttpClient http, string page, string session, bool visible)
    {
        using var reported = await PushSubscriptionTests.PostAsync(http, $$"""{"page":"{{page}}","session":"{{session}}","visible":{{(visible ? "true" : "false")}}}""", "/v1/push/presence");
        Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
    }

    /// <summary>Every notice the server's notifier handles, in order.</summary>
    private sealed class NoticeLog : IDisposable
    {
        private readonly PushNotifier _notifier;
        private readonly Channel<PushNoticeResult> _results = Channel.CreateUnbounded<PushNoticeResult>();

        public NoticeLog(CattyTestServer server)
        {
            _notifier = server.App.Services.GetRequiredService<PushNotifier>();
            _notifier.Handled += OnHandled;
        }

        /// <summary>The next handled notice, which must be of <paramref name="event"/> when it is given.</summary>
        public async Task<PushNoticeResult> NextAsync(string? @event)
        {
            using var deadline = new CancellationTokenSource(Deadline.Default);
            var result = await _results.Reader.ReadAsync(deadline.Token);
            if (@event is not null)
            {
                Assert.Equal(@event, result.Notice.Event);
            }

            return result;
        }

        public bool TryTake(out PushNoticeResult? result) => _results.Reader.TryRead(out result);

        public void Dispose() => _notifier.Handled -= OnHandled;

        private void OnHandled(PushNoticeResult result) => _results.Writer.TryWrite(result);
    }
}
