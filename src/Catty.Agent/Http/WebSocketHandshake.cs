using System.Security.Cryptography;
using System.Text;

namespace Catty.Agent.Http;

/// <summary>The server side of the RFC 6455 opening handshake.</summary>
internal static class WebSocketHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Checks an upgrade request; returns the Sec-WebSocket-Accept value, or an error status and message.</summary>
    public static string? Validate(HttpRequest request, out int status, out string? error)
    {
        status = 0;
        error = null;
        if (request.Method != "GET")
        {
            (status, error) = (405, "the WebSocket upgrade needs GET");
            return null;
        }
        if (!request.HeaderHasToken("Upgrade", "websocket") || !request.HeaderHasToken("Connection", "upgrade"))
        {
            (status, error) = (426, "this endpoint speaks WebSocket only");
            return null;
        }
        if (request.Header("Sec-WebSocket-Version") != "13")
        {
            (status, error) = (426, "only WebSocket version 13 is supported");
            return null;
        }
        var key = request.Header("Sec-WebSocket-Key");
        Span<byte> decoded = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key, decoded, out var length) || length != 16)
        {
            (status, error) = (400, "Sec-WebSocket-Key must be 16 bytes in base64");
            return null;
        }
        return Accept(key);
    }

    /// <summary>base64(SHA1(key + the RFC's GUID)).</summary>
    public static string Accept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));

    public static byte[] SwitchingProtocols(string accept) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + $"Sec-WebSocket-Accept: {accept}\r\n\r\n");
}
