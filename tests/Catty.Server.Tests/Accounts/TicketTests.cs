using System.Net;
using System.Net.Http.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Accounts;

/// <summary>Browsers open the terminal with a single-use, short-lived ticket, from this server's own pages only.</summary>
public sealed class TicketTests
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    [Fact]
    public async Task A_signed_in_browser_creates_a_session_and_opens_its_terminal_with_a_ticket()
    {
        await using var server = await CattyTestServer.StartAsync();
        await server.CreateWithPasswordAsync("web@example.com");
        using var browser = server.NewBrowser();
        await browser.SignInOrFailAsync("web@example.com");
        var csrf = (await browser.MeAsync()).CsrfToken;
        using var create = await browser.SendApiAsync(HttpMethod.Post, "v1/sessions",
            JsonContent.Create(new CreateSessionRequest(Agent: "shell"), CattyJson.Default.CreateSessionRequest), csrf);
        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        var session = (await create.Content.ReadFromJsonAsync(CattyJson.Default.CreateSessionResponse))!;

        using var issue = await browser.SendApiAsync(HttpMethod.Post, $"v1/sessions/{session.Label}/ticket", csrf: csrf);
        var ticket = (await issue.Content.ReadFromJsonAsync(CattyJson.Default.TicketResponse))!;

        Assert.Equal(30, ticket.ExpiresIn);
        Assert.Equal(session.ConnectUrl, ticket.ConnectUrl);
        Assert.StartsWith("ctk_", ticket.Ticket, StringComparison.Ordinal);
        await using var terminal = await TerminalClient.ConnectAsync(ticket.ConnectUrl + "?ticket=" + ticket.Ticket, NoHeaders, browser.OwnOrigin);
        await terminal.SendAsync("echo ticket-$((5*5))\r");
        await terminal.ReadUntilAsync("ticket-25");
    }

    [Fact]
    public async Task A_spent_ticket_is_refused()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var ticket = await server.Client.CreateTicketAsync(session.Label);
        var url = ticket.ConnectUrl + "?ticket=" + ticket.Ticket;
        var first = await TerminalClient.ConnectAsync(url, NoHeaders);
        await first.DisposeAsync();

        var (socket, status) = await TerminalClient.TryConnectAsync(url, NoHeaders);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.HandClock());
        var session = await server.CreateShellAsync();
        var ticket = await server.Client.CreateTicketAsync(session.Label);

        server.Clock!.Advance(TimeSpan.FromSeconds(31));
        var (socket, status) = await TerminalClient.TryConnectAsync(ticket.ConnectUrl + "?ticket=" + ticket.Ticket, NoHeaders);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_ticket_from_a_foreign_origin_is_refused_before_the_upgrade()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var ticket = await server.Client.CreateTicketAsync(session.Label);

        var (socket, status) = await TerminalClient.TryConnectAsync(ticket.ConnectUrl + "?ticket=" + ticket.Ticket, NoHeaders, origin: "https://evil.example");

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task A_ticket_opens_only_the_session_it_was_made_for()
    {
        await using var server = await CattyTestServer.StartAsync();
        var mine = await server.CreateShellAsync();
        var other = await server.CreateShellAsync();
        var ticket = await server.Client.CreateTicketAsync(mine.Label);

        var (socket, status) = await TerminalClient.TryConnectAsync(other.ConnectUrl + "?ticket=" + ticket.Ticket, NoHeaders);
        var (forged, forgedStatus) = await TerminalClient.TryConnectAsync(mine.ConnectUrl + "?ticket=ctk_forged", NoHeaders);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Null(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedStatus);
        await using var stillGood = await TerminalClient.ConnectAsync(mine.ConnectUrl + "?ticket=" + ticket.Ticket, NoHeaders);
    }

    [Fact]
    public async Task A_stopped_session_gets_no_ticket()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(session.Label);

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateTicketAsync(session.Label));

        Assert.Equal((HttpStatusCode.Conflict, "session_not_running"), (refused.Status, refused.Error));
    }
}
