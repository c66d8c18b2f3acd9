using System.Text;
using Catty.Agent.Http;

namespace Catty.Agent.Tests.Http;

public sealed class StreamedBodyTests
{
    private static bool Upload(HttpRequest r) => r.Path == "/upload";

    [Fact]
    public async Task A_streamed_route_takes_a_body_past_the_small_bound_and_leaves_it_on_the_connection()
    {
        var body = new byte[200_000];
        new Random(3).NextBytes(body);
        var raw = new MemoryStream([.. Encoding.ASCII.GetBytes($"POST /upload HTTP/1.1\r\nContent-Length: {body.Length}\r\n\r\n"), .. body]);

        var read = await HttpRequestReader.ReadAsync(raw, CancellationToken.None, Upload);

        Assert.Equal(body.Length, read.Request!.StreamedLength);
        Assert.Empty(read.Request.Body);
        var rest = new ContentLengthStream(new PrefixedStream(read.Leftover, raw), body.Length);
        var copy = new MemoryStream();
        await rest.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task A_streamed_route_needs_one_Content_Length_and_other_routes_keep_the_bound()
    {
        var chunked = await HttpRequestReader.ReadAsync(
            new MemoryStream(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")), CancellationToken.None, Upload);
        var other = await HttpRequestReader.ReadAsync(
            new MemoryStream(Encoding.ASCII.GetBytes("POST /stop HTTP/1.1\r\nContent-Length: 200000\r\n\r\n")), CancellationToken.None, Upload);

        Assert.Equal(411, chunked.Status);
        Assert.Equal(413, other.Status);
    }

    [Fact]
    public async Task A_body_cut_short_throws_instead_of_ending_quietly()
    {
        var cut = new ContentLengthStream(new MemoryStream(new byte[10]), 20);

        await Assert.ThrowsAsync<EndOfStreamException>(() => cut.CopyToAsync(Stream.Null));
    }
}
