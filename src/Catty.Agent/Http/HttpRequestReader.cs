using System.Globalization;
using System.Text;

namespace Catty.Agent.Http;

/// <summary>
/// Reads one HTTP/1.1 request from a stream with hard bounds: the head (request line and headers) must
/// fit <see cref="MaxHeadBytes"/> (431 otherwise), bodies come only with Content-Length (no chunked
/// encoding) and must fit <see cref="MaxBodyBytes"/> (413). Anything malformed is a 400.
/// </summary>
internal static class HttpRequestReader
{
    public const int MaxHeadBytes = 16 * 1024;
    public const int MaxHeaders = 64;
    public const int MaxBodyBytes = 64 * 1024;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <param name="streamsBody">
    /// Routes whose body the handler reads itself (a large upload): such a request must carry Content-Length,
    /// is returned with an empty <see cref="HttpRequest.Body"/>, <see cref="HttpRequest.StreamedLength"/> set and
    /// the body's first bytes in the leftover.
    /// </param>
    public static async Task<HttpReadResult> ReadAsync(Stream stream, CancellationToken cancellationToken, Func<HttpRequest, bool>? streamsBody = null)
    {
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        int headLength;
        while (true)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                return filled == 0 ? HttpReadResult.Closed : HttpReadResult.Fail(400, "the request ended inside its head");
            var searchFrom = Math.Max(0, filled - 3);
            filled += n;
            var end = buffer.AsSpan(searchFrom, filled - searchFrom).IndexOf(HeadEnd);
            if (end >= 0)
            {
                headLength = searchFrom + end;
                break;
            }
            if (filled == buffer.Length)
                return HttpReadResult.Fail(431, $"the request head is larger than {MaxHeadBytes} bytes");
        }
        var parsed = ParseHead(buffer.AsSpan(0, headLength));
        if (parsed.Request is not { } head)
            return parsed;
        var bodyStart = headLength + HeadEnd.Length;
        var reader = new BufferedReader(stream, buffer, bodyStart, filled);
        var transferEncoding = head.Header("Transfer-Encoding");
        if (streamsBody is not null && streamsBody(head))
            return StreamedHead(head, transferEncoding, reader.Remaining);
        byte[] body;
        if (transferEncoding is not null)
        {
            // HttpClient sends JSON content chunked; accept that, within the same bound.
            if (!string.Equals(transferEncoding.Trim(), "chunked", StringComparison.OrdinalIgnoreCase) || head.Header("Content-Length") is not null)
                return HttpReadResult.Fail(400, "only Content-Length or chunked bodies are accepted");
            var chunked = await ReadChunkedAsync(reader, cancellationToken).ConfigureAwait(false);
            if (chunked.Error is not null)
                return chunked.Error.Value;
            body = chunked.Body!;
        }
        else
        {
            var lengths = head.Headers.Where(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).Distinct().ToList();
            if (lengths.Count > 1)
                return HttpReadResult.Fail(400, "conflicting Content-Length headers");
            var contentLength = 0;
            if (lengths.Count == 1
                && (lengths[0].Length > 10 || !int.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out contentLength)))
                return HttpReadResult.Fail(400, "Content-Length is not a number");
            if (contentLength > MaxBodyBytes)
                return HttpReadResult.Fail(413, $"the request body is larger than {MaxBodyBytes} bytes");
            body = new byte[contentLength];
            if (!await reader.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false))
                return HttpReadResult.Fail(400, "the request body ended early");
        }
        return new HttpReadResult(head with { Body = body }, 0, null, reader.Remaining);
    }

    private static HttpReadResult StreamedHead(HttpRequest head, string? transferEncoding, ReadOnlyMemory<byte> bodyStart)
    {
        var lengths = head.Headers.Where(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).Distinct().ToList();
        if (transferEncoding is not null || lengths.Count != 1)
            return HttpReadResult.Fail(411, "this route takes a body with one Content-Length");
        if (lengths[0].Length > 18 || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            return HttpReadResult.Fail(400, "Content-Length is not a number");
        // The head buffer may hold the start of the body (or, from a misbehaving client, more than the body).
        var start = bodyStart.Length > length ? bodyStart[..(int)length] : bodyStart;
        return new HttpReadResult(head with { StreamedLength = length }, 0, null, start);
    }

    private static async Task<(byte[]? Body, HttpReadResult? Error)> ReadChunkedAsync(BufferedReader reader, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
                return (null, HttpReadResult.Fail(400, "malformed chunked body"));
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var sizeText = (semicolon < 0 ? line : line[..semicolon]).Trim();
            if (sizeText.Length is 0 or > 8 || !int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                return (null, HttpReadResult.Fail(400, "malformed chunk size"));
            if (size == 0)
                break;
            if (body.Length + size > MaxBodyBytes)
                return (null, HttpReadResult.Fail(413, $"the request body is larger than {MaxBodyBytes} bytes"));
            var chunk = new byte[size];
            if (!await reader.ReadExactlyAsync(chunk, cancellationToken).ConfigureAwait(false)
                || await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not "")
                return (null, HttpReadResult.Fail(400, "malformed chunked body"));
            body.Write(chunk);
        }
        // Trailers are read and ignored, up to the blank line.
        for (var i = 0; ; i++)
        {
            var trailer = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (trailer is null || i > MaxHeaders)
                return (null, HttpReadResult.Fail(400, "malformed chunked body"));
            if (trailer.Length == 0)
                return (body.ToArray(), null);
        }
    }

    /// <summary>Parses the head (without the final blank line) into a request with an empty body.</summary>
    internal static HttpReadResult ParseHead(ReadOnlySpan<byte> head)
    {
        if (head.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) is var bad && bad >= 0)
        {
            // Only CR LF pairs and tabs (inside header values) are allowed outside printable ASCII.
            for (var i = bad; i < head.Length; i++)
            {
                var c = head[i];
                if (c is >= 0x20 and <= 0x7e or (byte)'\t')
                    continue;
                if (c == '\r' && i + 1 < head.Length && head[i + 1] == '\n')
                {
                    i++;
                    continue;
                }
                return HttpReadResult.Fail(400, "the request head holds a character that is not allowed");
            }
        }
        var text = Encoding.ASCII.GetString(head);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !IsToken(requestLine[0]) || requestLine[1].Length == 0 || requestLine[1][0] != '/')
            return HttpReadResult.Fail(400, "malformed request line");
        if (requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0"))
            return HttpReadResult.Fail(400, "only HTTP/1.1 is spoken here");
        if (lines.Length - 1 > MaxHeaders)
            return HttpReadResult.Fail(431, $"more than {MaxHeaders} headers");
        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line[..colon]))
                return HttpReadResult.Fail(400, "malformed header line");
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }
        var target = requestLine[1];
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? target : target[..q];
        var query = q < 0 ? "" : target[(q + 1)..];
        return new HttpReadResult(new HttpRequest(requestLine[0], path, query, headers, []), 0, null, default);
    }

    private static bool IsToken(string s)
    {
        if (s.Length == 0)
            return false;
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
                return false;
        }
        return true;
    }
}
