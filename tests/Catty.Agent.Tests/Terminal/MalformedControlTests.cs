using System.Net.WebSockets;
using System.Text;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>One agent shared by the cases below; each case connects a fresh client (replacing the last).</summary>
public sealed class SharedShellAgent : IAsyncLifetime
{
    internal AgentProcess Agent { get; private set; } = null!;

    public async Task InitializeAsync() => Agent = await AgentProcess.StartShellAsync();

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}

/// <summary>Every kind of bad control frame gets an <c>error</c> message; the connection and the session carry on.</summary>
public sealed class MalformedControlTests(SharedShellAgent shared) : IClassFixture<SharedShellAgent>
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "not JSON", "hello there", "not valid JSON" },
        { "truncated JSON", "{\"type\":", "not valid JSON" },
        { "trailing garbage", "{\"type\":\"ping\"} x", "not valid JSON" },
        { "a JSON array", "[1,2,3]", "must be a JSON object" },
        { "a JSON string", "\"resize\"", "must be a JSON object" },
        { "no type", "{\"cols\":80,\"rows\":24}", "needs a \"type\"" },
        { "type not a string", "{\"type\":5}", "must be a string" },
        { "unknown type", "{\"type\":\"dance\"}", "unknown control message type 'dance'" },
        { "a server-only type", "{\"type\":\"ready\"}", "sent by the server" },
        { "resize without rows", "{\"type\":\"resize\",\"cols\":80}", "'resize' needs rows" },
        { "resize without sizes", "{\"type\":\"resize\"}", "'resize' needs cols and rows" },
        { "resize of zero", "{\"type\":\"resize\",\"cols\":0,\"rows\":0}", "resize needs cols and rows" },
        { "resize too large", "{\"type\":\"resize\",\"cols\":100000,\"rows\":24}", "resize needs cols and rows" },
        { "resize with text", "{\"type\":\"resize\",\"cols\":\"wide\",\"rows\":24}", "invalid 'resize' message" },
        { "signal without name", "{\"type\":\"signal\"}", "'signal' needs name" },
        { "signal with an empty name", "{\"type\":\"signal\",\"name\":\"\"}", "signal needs a name" },
        { "signal with a null name", "{\"type\":\"signal\",\"name\":null}", "invalid 'signal' message" },
        { "unknown signal", "{\"type\":\"signal\",\"name\":\"SIGFOO\"}", "unknown signal 'SIGFOO'" },
        { "sync_back with a text flag", "{\"type\":\"sync_back\",\"enabled\":\"yes\"}", "invalid 'sync_back' message" },
        { "file_upload with bad base64", "{\"type\":\"file_upload\",\"filename\":\"a\",\"content\":\"***\"}", "not valid base64" },
        { "file_upload without content", "{\"type\":\"file_upload\",\"filename\":\"a\"}", "'file_upload' needs content" },
        { "an empty text frame", "", "empty control message" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_control_frame_gets_an_error_and_the_session_lives_on(string what, string frame, string expected)
    {
        await using var client = await shared.Agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();

        await client.SendFrameAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text);

        var error = await client.NextControlAsync<ErrorMessage>();
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: got \"{error.Message}\"");
        await ShellStillAnswersAsync(client);
    }

    [Fact]
    public async Task A_huge_control_frame_is_discarded_with_an_error()
    {
        await using var client = await shared.Agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();
        var huge = Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}");

        await client.SendFrameAsync(huge, WebSocketMessageType.Text);

        var error = await client.NextControlAsync<ErrorMessage>();
        Assert.Contains("larger than 65536 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(client.Messages, c => c is PongMessage);
        await ShellStillAnswersAsync(client);
    }

    [Fact]
    public async Task A_zero_length_binary_frame_is_no_input_and_the_session_lives_on()
    {
        await using var client = await shared.Agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();

        await client.SendFrameAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Binary);

        await ShellStillAnswersAsync(client);
        Assert.DoesNotContain(client.Messages, c => c is ErrorMessage);
    }

    [Fact]
    public async Task Text_that_is_not_UTF8_fails_the_connection_as_RFC_6455_requires_but_not_the_session()
    {
        await using (var client = await shared.Agent.ConnectAsync())
        {
            await client.NextControlAsync<ReadyMessage>();
            await client.SendFrameAsync(new byte[] { 0x7b, 0xff, 0xfe, 0x7d }, WebSocketMessageType.Text);
            var (status, _) = await client.WaitForCloseAsync();
            Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        }

        await using var again = await shared.Agent.ConnectAsync();
        await ShellStillAnswersAsync(again);
    }

    private static async Task ShellStillAnswersAsync(TerminalClient client)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await client.SendAsync($"echo ok-{marker}-$((2+3))\r");
        await client.ReadUntilAsync($"ok-{marker}-5");
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }
}
