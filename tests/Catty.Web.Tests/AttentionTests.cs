using System.Net.WebSockets;
using System.Text;
using Catty.Sdk.Api;
using Catty.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>Attention on the phone: a session that asks for permission gets "Needs you", comes first and counts in the title, live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttentionTests(Browsers browsers, SharedServer shared)
{
    [Fact]
    public async Task A_session_that_starts_asking_is_badged_sorted_first_and_counted_in_the_title_without_a_refresh()
    {
        var account = await shared.NewAccountAsync();
        var asking = await account.Client.CreateSessionAsync(new CreateSessionRequest(Agent: SharedServer.AskingAgent));
        var shell = await account.CreateShellAsync();
        // With the page's clock held, the 30 s refresh never runs: only the event stream can change the list.
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone, fakeClock: true);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(await dashboard.Page.EvaluateAsync<long>("() => Date.now()"));
        await dashboard.Page.Clock.PauseAtAsync(now.AddSeconds(1).UtcDateTime);
        var rows = dashboard.Page.Locator(".session-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(dashboard.Row(asking.Label).Locator(".attention")).ToHaveTextAsync("Working");
        Assert.Equal([shell.Label, asking.Label], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.label)"));

        await SendLineAsync(asking);

        await Expect(dashboard.Row(asking.Label).Locator(".attention")).ToHaveTextAsync("Needs you");
        Assert.Equal([asking.Label, shell.Label], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.label)"));
        await Expect(dashboard.Page).ToHaveTitleAsync("(1) Needs you · Sessions · Catty");
        await dashboard.ScreenshotAsync("sessions-needs-you");

        await account.Client.StopSessionAsync(asking.Label);
        await Expect(dashboard.Row(asking.Label).Locator(".attention")).ToHaveCountAsync(0);
        await Expect(dashboard.Page).ToHaveTitleAsync("Sessions · Catty");
    }

    /// <summary>Types a line into the session's terminal, as the CLI would.</summary>
    private static async Task SendLineAsync(CreateSessionResponse session)
    {
        using var socket = new ClientWebSocket();
        foreach (var (name, value) in session.Headers)
            socket.Options.SetRequestHeader(name, value);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri(session.ConnectUrl), deadline.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("go\r"), WebSocketMessageType.Binary, true, deadline.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
    }
}
