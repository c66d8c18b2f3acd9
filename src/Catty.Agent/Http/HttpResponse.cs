using System.Globalization;
using System.Text;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.Api;

namespace Catty.Agent.Http;

/// <summary>Writes whole responses; every response except 101 ends the connection (<c>Connection: close</c>).</summary>
internal static class HttpResponse
{
    public static Task WriteJsonAsync(Stream stream, int status, byte[] json, CancellationToken cancellationToken) =>
        WriteAsync(stream, status, "application/json", json, [], cancellationToken);

    /// <summary>The one error shape: <c>{"error": "code", "message": "human text"}</c>.</summary>
    public static Task WriteErrorAsync(
        Stream stream, int status, string code, string message, CancellationToken cancellationToken,
        params (string Name, string Value)[] extraHeaders)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ApiError(code, message), CattyJson.Default.ApiError);
        return WriteAsync(stream, status, "application/json", body, extraHeaders, cancellationToken);
    }

    public static async Task WriteAsync(
        Stream stream, int status, string contentType, ReadOnlyMemory<byte> body,
        IReadOnlyList<(string Name, string Value)> extraHeaders, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(256);
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        head.Append("Cache-Control: no-store\r\nConnection: close\r\n");
        foreach (var (name, value) in extraHeaders)
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        if (!body.IsEmpty)
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The head of a response whose body has no length up front: it ends when the connection closes.</summary>
    public static async Task WriteHeadAsync(Stream stream, int status, string contentType, CancellationToken cancellationToken)
    {
        var head = $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nContent-Type: {contentType}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
    }

    public static string ReasonPhrase(int status) => status switch
    {
        101 => "Switching Protocols",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        507 => "Insufficient Storage",
        _ => "Status",
    };
}
