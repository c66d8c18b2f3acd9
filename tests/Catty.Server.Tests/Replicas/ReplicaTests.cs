using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Accounts;
using Catty.Server.Storage;
using Catty.Server.Tests.Accounts;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Replicas;

/// <summary>Replicas on one PostgreSQL database and one data directory: any replica serves anything.</summary>
public sealed class ReplicaTests
{
    [Fact]
    public async Task A_session_made_through_one_replica_is_typed_into_stopped_and_downloaded_through_others()
    {
        await using var replicas = await ReplicaSet.StartAsync(3);
        var (a, b, c) = (replicas[0], replicas[1], replicas[2]);

        // Created through A; its connect token, made by A, opens the terminal through B.
        var session = await a.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
        await using var terminal = await TerminalClient.ConnectAsync(ReplicaSet.Through(b, session.ConnectUrl), session.Headers);
        await terminal.SendAsync("echo typed-through-b-$((6*7)) > note.txt; cat note.txt\r");
        await terminal.ReadUntilAsync("typed-through-b-42");
        Assert.Equal(SessionStatus.Running, (await c.Client.GetSessionAsync(session.Label, live: true)).Status);

        // Stopped through C (final snapshot, then the machine destroyed): the client connected through B hears of it
        // within a second of the stop's end, through the session's own agent going away.
        await c.Client.StopSessionAsync(session.Label);
        await terminal.WaitForCloseAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(SessionStatus.Stopped, (await b.Client.GetSessionAsync(session.Label)).Status);

        // A download link signed by A is honoured by B.
        var download = await a.Client.GetDownloadAsync(session.Label);
        using var http = new HttpClient();
        using var archive = await http.GetAsync(ReplicaSet.Through(b, download.DownloadUrl));
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal(download.SizeBytes, (await archive.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Cookies_tickets_and_device_login_tokens_made_by_one_replica_are_valid_on_another()
    {
        // Polls may follow each other at once: the CLI's side of the login is not what is tested here.
        await using var replicas = await ReplicaSet.StartAsync(2, new Dictionary<string, string> { ["Catty__Auth__DevicePollInterval"] = "00:00:00.001" });
        var (a, b) = (replicas[0], replicas[1]);
        await replicas.WithDbAsync(async db =>
        {
            var user = new User { Id = Guid.NewGuid(), Email = "web@example.com", DisplayName = "Web", Role = Roles.Member, CreatedAt = DateTimeOffset.UtcNow };
            user.PasswordHash = new Passwords().Hash(user, Users.Password);
            db.Users.Add(user);
            return await db.SaveChangesAsync();
        });

        // A sign-in cookie issued by A (data protection) is accepted by B.
        using var browser = new BrowserClient(a.BaseAddress);
        await browser.SignInOrFailAsync("web@example.com");
        var cookie = browser.SignInCookie ?? throw new InvalidOperationException("no sign-in cookie");
        using var http = new HttpClient { BaseAddress = b.BaseAddress };
        using var me = new HttpRequestMessage(HttpMethod.Get, "v1/auth/me");
        me.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        using var meAnswer = await http.SendAsync(me);
        Assert.Equal(HttpStatusCode.OK, meAnswer.StatusCode);
        Assert.Equal("web@example.com", (await meAnswer.Content.ReadFromJsonAsync(CattyJson.Default.MeResponse))!.User.Email);

        // A terminal ticket issued by A opens the terminal through B, from B's own pages.
        var csrf = (await browser.MeAsync()).CsrfToken;
        using var create = await browser.SendApiAsync(HttpMethod.Post, "v1/sessions",
            JsonContent.Create(new CreateSessionRequest(Agent: "shell"), CattyJson.Default.CreateSessionRequest), csrf);
        var session = (await create.Content.ReadFromJsonAsync(CattyJson.Default.CreateSessionResponse))!;
        using var issue = await browser.SendApiAsync(HttpMethod.Post, $"v1/sessions/{session.Label}/ticket", csrf: csrf);
        var ticket = (await issue.Content.ReadFromJsonAsync(CattyJson.Default.TicketResponse))!;
        await using (var terminal = await TerminalClient.ConnectAsync(
            ReplicaSet.Through(b, ticket.ConnectUrl) + "?ticket=" + ticket.Ticket, new Dictionary<string, string>(), b.BaseAddress.GetLeftPart(UriPartial.Authority)))
        {
            await terminal.SendAsync("echo ticket-$((5*5))\r");
            await terminal.ReadUntilAsync("ticket-25");
        }

        // A device login started and approved on A is completed on B; the tokens B gives are accepted and refreshed by A.
        var start = await DeviceLoginFlow.StartAsync(new CattyClient(new HttpClient { BaseAddress = a.BaseAddress }, null));
        using (var approved = await DeviceLoginFlow.DecideAsync(browser, start, "approve"))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        // Behind a load balancer every replica sees the same Host, which OpenIddict makes the tokens' issuer: B is
        // reached here with A's Host header, as a balancer forwarding to B would.
        var tokens = await BalancedClient(b, a, null).PollDeviceLoginAsync(start.DeviceCode);
        Assert.True(tokens.IsApproved, $"expected tokens, got error {tokens.Error}: {tokens.Message}");
        var onA = new CattyClient(new HttpClient { BaseAddress = a.BaseAddress }, tokens.AccessToken);
        Assert.Contains(await onA.ListSessionsAsync(), s => s.Label == session.Label);
        var refreshed = await onA.RefreshAsync(tokens.RefreshToken!);
        var onB = BalancedClient(b, a, refreshed.AccessToken);
        Assert.Contains(await onB.ListSessionsAsync(), s => s.Label == session.Label);
    }

    /// <summary>A client of <paramref name="replica"/> that names <paramref name="front"/> as the host, as a balancer would.</summary>
    private static CattyClient BalancedClient(ServerProcess replica, ServerProcess front, string? token)
    {
        var http = new HttpClient { BaseAddress = replica.BaseAddress };
        http.DefaultRequestHeaders.Host = front.BaseAddress.Authority;
        return new CattyClient(http, token);
    }
}
