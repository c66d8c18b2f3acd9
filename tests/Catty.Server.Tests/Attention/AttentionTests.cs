using System.Net.Http.Headers;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Attention;

/// <summary>
/// A session's attention, reported by its program's hook inside the sandbox, reaches the API
/// (<c>attention</c>, <c>attention_since</c>) and the owner's event stream, and ends when the session stops.
/// </summary>
public sealed class AttentionTests
{
    // Stands in for Claude Code: waits for the person's line, then its Notification hook asks for permission.
    private const string AsksPermission = """
        read line
        printf '%s' '{"hook_event_name":"Notification","notification_type":"permission_prompt"}' | node "$HOME/.catty/hook.js" claude Notification
        echo asked
        exec sleep 600
        """;

    [Fact]
    public async Task A_hook_report_shows_in_the_session_and_on_the_event_stream_and_a_stop_clears_it()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Agents:Available:hooked:Command:0"] = "sh";
            s.Settings["Catty:Agents:Available:hooked:Command:1"] = "-c";
            s.Settings["Catty:Agents:Available:hooked:Command:2"] = AsksPermission;
            s.Settings["Catty:Agents:Available:hooked:Attention"] = "claude";
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CattyTestServer.OwnerToken);
        using var events = await http.GetAsync("/v1/sessions/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        using var stream = new StreamReader(await events.Content.ReadAsStreamAsync());

        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "hooked"));
        var working = await NextAttentionAsync(stream, session.SessionId);
        Assert.Equal(AttentionState.Working, working.Attention);

        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("go\r");
            await terminal.ReadUntilAsync("asked");
        }

        var asked = await NextAttentionAsync(stream, session.SessionId);
        Assert.Equal(AttentionState.NeedsInput, asked.Attention);
        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((AttentionState.NeedsInput, asked.AttentionSince), (info.Attention, info.AttentionSince));
        var listed = (await server.Client.ListSessionsAsync()).Single(s => s.SessionId == session.SessionId);
        Assert.Equal(AttentionState.NeedsInput, listed.Attention);
        using (var raw = JsonDocument.Parse(await http.GetStringAsync($"/v1/sessions/{session.Label}")))
            Assert.Equal("needs_input", raw.RootElement.GetProperty("attention").GetString());

        await server.Client.StopSessionAsync(session.Label);
        var cleared = await NextAttentionAsync(stream, session.SessionId);
        Assert.Equal((null, null), (cleared.Attention, cleared.AttentionSince));
        var stopped = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, null), (stopped.Status, stopped.Attention));
    }

    [Fact]
    public async Task The_event_stream_refuses_a_caller_without_a_token()
    {
        await using var server = await CattyTestServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var refused = await anonymous.GetAsync("/v1/sessions/events");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static async Task<AttentionEvent> NextAttentionAsync(StreamReader stream, Guid sessionId)
    {
        using var deadline = new CancellationTokenSource(Deadline.Default);
        string? kind = null;
        while (await stream.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "attention")
            {
                var change = JsonSerializer.Deserialize(line["data: ".Length..], CattyJson.Default.AttentionEvent)!;
                if (change.SessionId == sessionId)
                {
                    return change;
                }
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
