namespace Catty.Agent.Http;

/// <summary>A parsed HTTP/1.1 request: head plus a fully read Content-Length body.</summary>
internal sealed record HttpRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    /// <summary>For a route whose body is streamed: its Content-Length; the body itself is left on the connection.</summary>
    public long? StreamedLength { get; init; }

    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    /// <summary>Whether a comma-separated header (Connection, Upgrade) lists <paramref name="token"/>.</summary>
    public bool HeaderHasToken(string name, string token)
    {
        foreach (var (key, value) in Headers)
        {
            if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var part in value.Split(','))
            {
                if (string.Equals(part.Trim(), token, StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }
        return false;
    }
}

/// <summary>
/// The outcome of reading one request: a request (with any bytes read past its end), a protocol error
/// to answer with <see cref="Status"/>, or a client that closed before sending anything.
/// </summary>
internal readonly record struct HttpReadResult(HttpRequest? Request, int Status, string? Error, ReadOnlyMemory<byte> Leftover)
{
    public static HttpReadResult Closed => default;

    public static HttpReadResult Fail(int status, string error) => new(null, status, error, default);

    public bool IsClosed => Request is null && Status == 0;
}
