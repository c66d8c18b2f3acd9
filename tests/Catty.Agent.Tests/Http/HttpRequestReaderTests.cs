using System.Text;
using Catty.Agent.Http;

namespace Catty.Agent.Tests.Http;

public sealed class HttpRequestReaderTests
{
    [Fact]
    public async Task Reads_head_body_and_keeps_bytes_past_the_body()
    {
        var raw = "POST /stop?x=1 HTTP/1.1\r\nHost: agent\r\nContent-Length: 5\r\nX-Many: a, b\r\n\r\nhelloNEXT";

        var read = await HttpRequestReader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(raw)), CancellationToken.None);

        var request = read.Request!;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/stop", request.Path);
        Assert.Equal("x=1", request.Query);
        Assert.Equal("agent", request.Header("host"));
        Assert.True(request.HeaderHasToken("X-Many", "B"));
        Assert.Equal("hello", Encoding.ASCII.GetString(request.Body));
        Assert.Equal("NEXT", Encoding.ASCII.GetString(read.Leftover.Span));
    }

    [Fact]
    public async Task Reads_a_chunked_body_delivered_one_byte_at_a_time()
    {
        var raw = "POST /stop HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n";

        var read = await HttpRequestReader.ReadAsync(new TrickleStream(Encoding.ASCII.GetBytes(raw)), CancellationToken.None);

        Assert.Equal("Wikipedia", Encoding.ASCII.GetString(read.Request!.Body));
    }

    [Fact]
    public async Task A_client_that_closes_before_sending_anything_is_not_an_error()
    {
        var read = await HttpRequestReader.ReadAsync(new MemoryStream(), CancellationToken.None);

        Assert.True(read.IsClosed);
    }

    [Theory]
    [InlineData("GET /status HTTP/1.1\r\nHost: x", 400)]
    [InlineData("POST /stop HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", 400)]
    [InlineData("POST /stop HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400)]
    [InlineData("POST /stop HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [InlineData("GET status HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /status HTTP/1.1 extra\r\n\r\n", 400)]
    public async Task Malformed_requests_are_values_with_a_status(string raw, int status)
    {
        var read = await HttpRequestReader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(raw)), CancellationToken.None);

        Assert.Null(read.Request);
        Assert.Equal(status, read.Status);
    }

    /// <summary>Hands out one byte per read, as a slow network might.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
