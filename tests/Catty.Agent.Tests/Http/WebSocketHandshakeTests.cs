using Catty.Agent.Http;

namespace Catty.Agent.Tests.Http;

public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void Computes_the_accept_value_of_RFC_6455_section_1_3()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.Accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void Accepts_header_tokens_in_any_case_and_among_others()
    {
        var request = new HttpRequest("GET", "/connect", "", [
            new("upgrade", "WebSocket"),
            new("connection", "keep-alive, Upgrade"),
            new("sec-websocket-version", "13"),
            new("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ], []);

        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.Validate(request, out _, out _));
    }
}
