using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Http;

/// <summary>The hand-written HTTP server: auth on TCP, and bad requests answered without harm.</summary>
public sealed class HttpSurfaceTests(SharedTcpAgent shared) : IClassFixture<SharedTcpAgent>
{
    private const string Token = SharedTcpAgent.Token;

    [Fact]
    public async Task Every_endpoint_needs_the_bearer_token()
    {
        var agent = shared.Agent;
        using var anonymous = new HttpClient { BaseAddress = agent.BaseUri("http") };
        using var wrong = new HttpClient { BaseAddress = agent.BaseUri("http") };
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-" + Token);

        foreach (var path in new[] { "status", "wait", "logs", "connect", "nowhere" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.Http.GetAsync("status")).StatusCode);
        Assert.Equal("running", (await agent.GetStatusAsync()).State);
    }

    [Fact]
    public async Task The_terminal_needs_the_token_too()
    {
        var agent = shared.Agent;

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => agent.ConnectAsync(token: "wrong"));
        Assert.Contains("401", refused.ToString(), StringComparison.Ordinal);

        await using var client = await agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();
        await client.SendAsync("echo tcp-$((8*8))\r");
        await client.ReadUntilAsync("tcp-64");
    }

    [Fact]
    public async Task The_error_body_has_the_one_error_shape()
    {
        var response = await shared.Agent.Http.GetAsync("nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync(CattyJson.Default.ApiError);
        Assert.Equal("not_found", error!.Error);
    }

    public static TheoryData<string, string, int> BadRequests => new()
    {
        { "garbage", "GARBAGE\r\n\r\n", 400 },
        { "no version", "GET /status\r\n\r\n", 400 },
        { "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400 },
        { "bare LF", "GET /status HTTP/1.1\nHost: x\n\n\r\n\r\n", 400 },
        { "header without colon", "GET /status HTTP/1.1\r\nHost x\r\n\r\n", 400 },
        { "folded header", "GET /status HTTP/1.1\r\nHost: x\r\n  folded\r\n\r\n", 400 },
        { "control character", "GET /status HTTP/1.1\r\nHost: \u0001\r\n\r\n", 400 },
        { "huge head", "GET /status HTTP/1.1\r\nX-Big: " + new string('a', 20_000) + "\r\n\r\n", 431 },
        { "too many headers", "GET /status HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"X-{i}: 1\r\n")) + "\r\n", 431 },
        { "huge body", "POST /stop HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n", 413 },
        { "bad length", "POST /stop HTTP/1.1\r\nContent-Length: ten\r\n\r\n", 400 },
        { "gzip coding", "POST /stop HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
        { "bad chunk", "POST /stop HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400 },
        { "stop body not JSON", "POST /stop HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 400 },
        { "negative grace", "POST /stop HTTP/1.1\r\nContent-Length: 16\r\n\r\n{\"grace_ms\":-1} ", 400 },
        { "wrong method", "GET /stop HTTP/1.1\r\n\r\n", 405 },
        { "unknown path", "GET /etc/passwd HTTP/1.1\r\n\r\n", 404 },
        { "connect without upgrade", "GET /connect HTTP/1.1\r\n\r\n", 426 },
        { "connect with a bad key", "GET /connect HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n", 400 },
        { "connect with an old version", "GET /connect HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 426 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_gets_its_status_and_the_agent_carries_on(string what, string request, int expected)
    {
        var authorized = request.Replace("\r\n\r\n", $"\r\nAuthorization: Bearer {Token}\r\n\r\n", StringComparison.Ordinal);
        if (what is "bare LF" or "huge head" or "too many headers" or "folded header")
            authorized = request;

        var answer = await RawExchangeAsync(authorized);

        Assert.True(answer.StartsWith($"HTTP/1.1 {expected} ", StringComparison.Ordinal), $"{what}: {answer}");
        Assert.Equal("running", (await shared.Agent.GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_request_head_that_never_ends_times_out_with_408()
    {
        var answer = await RawExchangeAsync("GET /status HTTP/1.1\r\nHost: slow", closeAfterSend: false);

        Assert.StartsWith("HTTP/1.1 408 ", answer, StringComparison.Ordinal);
        Assert.Equal("running", (await shared.Agent.GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_chunked_stop_body_is_read_but_a_chunked_body_past_the_bound_is_refused()
    {
        var chunk = new string('a', 0x8000);
        var request = $"POST /stop HTTP/1.1\r\nAuthorization: Bearer {Token}\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"8000\r\n{chunk}\r\n8000\r\n{chunk}\r\n8000\r\n{chunk}\r\n0\r\n\r\n";

        var answer = await RawExchangeAsync(request);

        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        Assert.Equal("running", (await shared.Agent.GetStatusAsync()).State);
    }

    private async Task<string> RawExchangeAsync(string request, bool closeAfterSend = true)
    {
        var endpoint = IPEndPoint.Parse(shared.Agent.Listen["tcp:".Length..]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Deadline.Default);
        await socket.ConnectAsync(endpoint, cts.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
        if (closeAfterSend && !request.Contains("Content-Length: 1000000", StringComparison.Ordinal))
            socket.Shutdown(SocketShutdown.Send);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            answer.Write(buffer, 0, n);
        return Encoding.Latin1.GetString(answer.ToArray());
    }
}

/// <summary>An agent on loopback TCP with a token, shared by <see cref="HttpSurfaceTests"/>.</summary>
public sealed class SharedTcpAgent : IAsyncLifetime
{
    public const string Token = "agent-token-for-tests";

    internal AgentProcess Agent { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Agent = await AgentProcess.StartAsync(new AgentStart { Tcp = true, Token = Token, Options = ["request-head-timeout-ms=2000"] });

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}
