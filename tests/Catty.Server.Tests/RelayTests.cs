using System.Net;
using System.Net.WebSockets;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

public sealed class RelayTests
{
    [Fact]
    public async Task Typing_through_the_server_reaches_the_shell_and_its_output_comes_back()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();

        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await terminal.SendAsync("echo relay-$((6*7))\r");

        await terminal.ReadUntilAsync("relay-42");
    }

    [Fact]
    public async Task A_flood_of_output_crosses_the_relay_whole_and_typing_still_reaches_the_shell_after_it()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        const int flood = 4_000_000;

        // Far more than the relay copies before it leaves the socket engine's thread (a flood keeps every call
        // completing at once), so the copy takes that turn many times.
        await terminal.SendAsync($"head -c {flood} /dev/zero | tr '\\0' A; echo; echo flood-$((6*7))\r");
        await terminal.ReadUntilAsync("flood-42", TimeSpan.FromSeconds(120));

        var output = terminal.Output;
        var longestRun = output.Split(['\r', '\n', ' ', ';', '$', '#']).Max(part => part.Length);
        Assert.Equal(flood, longestRun);
        await terminal.SendAsync("echo after-$((7*7))\r");
        await terminal.ReadUntilAsync("after-49");
    }

    [Fact]
    public async Task A_second_client_replaces_the_first_which_sees_close_code_1008()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await using var first = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await first.SendAsync("echo first-$((1+1))\r");
        await first.ReadUntilAsync("first-2");

        await using var second = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, (await first.WaitForCloseAsync()).Status);
        Assert.Equal("Connection replaced by another client", first.CloseDescription);
        await second.SendAsync("echo second-$((2+2))\r");
        await second.ReadUntilAsync("second-4");
    }

    [Fact]
    public async Task A_websocket_from_a_foreign_origin_is_refused()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();

        var (socket, status) = await TerminalClient.TryConnectAsync(session.ConnectUrl, session.Headers, origin: "https://evil.example");

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var own = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers, origin: server.BaseAddress.GetLeftPart(UriPartial.Authority));
        await own.DisposeAsync();
    }

    [Fact]
    public async Task A_connect_token_only_opens_its_own_session()
    {
        await using var server = await CattyTestServer.StartAsync();
        var mine = await server.CreateShellAsync();
        var other = await server.CreateShellAsync();

        var (socket, status) = await TerminalClient.TryConnectAsync(mine.ConnectUrl, other.Headers);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var (noToken, noTokenStatus) = await TerminalClient.TryConnectAsync(mine.ConnectUrl, new Dictionary<string, string>());
        Assert.Null(noToken);
        Assert.Equal(HttpStatusCode.Unauthorized, noTokenStatus);
    }

    [Fact]
    public async Task Connecting_to_a_deleted_session_is_not_found()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(session.Label, delete: true);

        var (socket, status) = await TerminalClient.TryConnectAsync(session.ConnectUrl, session.Headers);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Connecting_to_a_stopped_session_is_a_conflict()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(session.Label);

        var (socket, status) = await TerminalClient.TryConnectAsync(session.ConnectUrl, session.Headers);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Conflict, status);
    }
}
