using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>
/// What the server refuses a browser (a spent or expired ticket, another site's page, a change without the CSRF
/// header) and how the dashboard says so.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RefusalTests(Browsers browsers, SharedServer shared)
{
    /// <summary>Opens a WebSocket to the URL: "open" (then closes it) or "refused".</summary>
    private const string OpenSocket = """
        url => new Promise(done => {
          const socket = new WebSocket(url);
          socket.onopen = () => { socket.close(); done('open'); };
          socket.onerror = () => done('refused');
        })
        """;

    /// <summary>What the dashboard does for a session's socket, by hand: the CSRF token, a ticket, the socket.</summary>
    private const string TicketThenSocket = """
        async label => {
          const me = await (await fetch('/v1/auth/me')).json();
          const answer = await fetch(`/v1/sessions/${label}/ticket`, { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } });
          const ticket = await answer.json();
          return await new Promise(done => {
            const socket = new WebSocket(`${ticket.connect_url}?ticket=${encodeURIComponent(ticket.ticket)}`);
            socket.onopen = () => { socket.close(); done('open'); };
            socket.onerror = () => done('refused');
          });
        }
        """;

    [Fact]
    public async Task A_ticket_that_has_expired_is_refused()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop);
        Assert.Equal("open", await dashboard.Page.EvaluateAsync<string>(TicketThenSocket, session.Label));

        // On this server a ticket expires a millisecond after it is issued: always stale by the time a socket opens.
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string> { ["Catty:Auth:TicketLifetime"] = "00:00:00.001" });
        var other = await server.NewAccountAsync();
        var stale = await other.CreateShellAsync();
        await using var elsewhere = await Dashboard.OpenAsync(browsers, other, Device.Desktop);

        Assert.Equal("refused", await elsewhere.Page.EvaluateAsync<string>(TicketThenSocket, stale.Label));
        Assert.Equal("running", (await other.Client.GetSessionAsync(stale.Label)).Status);
    }

    [Fact]
    public async Task A_page_of_another_site_can_neither_open_the_terminal_nor_use_the_cookie()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop);
        var ticket = await account.Client.CreateTicketAsync(session.Label);
        var url = ticket.ConnectUrl + "?ticket=" + ticket.Ticket;

        // Another site to the browser: localhost is not 127.0.0.1. Its page is made up here, never fetched.
        var foreign = $"http://localhost:{shared.Server.BaseAddress.Port}";
        await dashboard.Page.RouteAsync(foreign + "/elsewhere", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>Elsewhere</title>" }));
        await dashboard.Page.GotoAsync(foreign + "/elsewhere");
        Assert.Equal("refused", await dashboard.Page.EvaluateAsync<string>(OpenSocket, url));

        // Refused for its Origin before the ticket was looked at: from the server's own page the same ticket works.
        await dashboard.Page.GotoAsync("/");
        await Expect(dashboard.Row(session.Label)).ToBeVisibleAsync();
        Assert.Equal("open", await dashboard.Page.EvaluateAsync<string>(OpenSocket, url));

        // The sign-in cookie with a valid CSRF token, but another site's Origin: refused too.
        var csrf = await dashboard.Page.EvaluateAsync<string>("() => fetch('/v1/auth/me').then(r => r.json()).then(me => me.csrf_token)");
        var answer = await dashboard.Context.APIRequest.PostAsync($"/v1/sessions/{session.Label}/stop", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = foreign, ["X-CSRF-Token"] = csrf },
        });
        Assert.Equal(403, answer.Status);
        Assert.Contains("\"error\":\"forbidden_origin\"", await answer.TextAsync(), StringComparison.Ordinal);
        Assert.Equal("running", (await account.Client.GetSessionAsync(session.Label)).Status);
    }

    [Fact]
    public async Task A_stop_without_the_csrf_header_is_refused_and_the_sessions_page_says_why()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        await WithoutCsrfHeaderAsync(dashboard.Page, "**/v1/sessions/*/stop");

        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = $"Stop {session.Label}" }).ClickAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Stop session" }).ClickAsync();

        var said = $"Could not stop {session.Label}: The server refused this change: the page's security token is missing or out of date. Reload the page and try again.";
        await Expect(dashboard.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(said);

        // It stays said while the list refreshes.
        var refresh = dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" });
        await Expect(refresh).Not.ToHaveAttributeAsync("aria-busy", "true");
        var before = await dashboard.Page.Locator(".updated").GetAttributeAsync("data-at");
        await refresh.ClickAsync();
        await Expect(dashboard.Page.Locator(".updated")).Not.ToHaveAttributeAsync("data-at", before!);
        await Expect(dashboard.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(said);
        await dashboard.ScreenshotAsync("csrf-refused");
        Assert.Equal([new ApiAnswer("POST", $"/v1/sessions/{session.SessionId}/stop", 403)], dashboard.Refusals);
        await Expect(dashboard.Row(session.Label)).ToHaveAttributeAsync("data-status", "running");
        Assert.Equal("running", (await account.Client.GetSessionAsync(session.Label)).Status);
    }

    [Fact]
    public async Task A_ticket_asked_for_without_the_csrf_header_is_refused_in_the_status_bar_and_Retry_recovers()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Desktop);
        await WithoutCsrfHeaderAsync(dashboard.Page, "**/v1/sessions/*/ticket");

        await dashboard.Page.GetByRole(AriaRole.Link, new() { Name = $"Open {session.Label}" }).ClickAsync();

        await Expect(dashboard.Status).ToHaveTextAsync("The server refused this change: the page's security token is missing or out of date. Reload the page and try again.");
        await Expect(dashboard.Page.Locator(".status-bar")).ToHaveAttributeAsync("data-state", "disconnected");
        Assert.Empty(dashboard.Sockets);
        await dashboard.Page.UnrouteAllAsync();
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await dashboard.WaitConnectedAsync();
    }

    /// <summary>As if the page had lost its token: the CSRF header is taken off matching requests on their way out.</summary>
    private static Task WithoutCsrfHeaderAsync(IPage page, string urlGlob) =>
        page.RouteAsync(urlGlob, route => route.ContinueAsync(new()
        {
            Headers = route.Request.Headers.Where(h => !h.Key.Equals("x-csrf-token", StringComparison.OrdinalIgnoreCase)),
        }));
}
