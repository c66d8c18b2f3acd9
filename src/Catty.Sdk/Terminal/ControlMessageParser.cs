using System.Text.Json;

namespace Catty.Sdk.Terminal;

/// <summary>Turns a text frame into a <see cref="ControlMessage"/>, or a human reason why it is not one.</summary>
public static class ControlMessageParser
{
    /// <summary>Largest control message accepted, in bytes; larger text frames are refused unread.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Parses UTF-8 JSON; never throws for bad input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out ControlMessage? message, out string error)
    {
        message = null;
        if (utf8Json.IsEmpty)
        {
            error = "empty control message";
            return false;
        }

        if (utf8Json.Length > MaxMessageBytes)
        {
            error = $"control message too large ({utf8Json.Length} bytes, limit {MaxMessageBytes})";
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize(utf8Json, CattyJson.Default.ControlMessage);
        }
        catch (JsonException e)
        {
            error = "invalid control message: " + Describe(e);
            return false;
        }
        catch (NotSupportedException)
        {
            // The abstract base cannot be built: the "type" field is missing.
            error = "invalid control message: missing \"type\"";
            return false;
        }

        if (message is null)
        {
            error = "invalid control message: null";
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>Serializes a message for a text frame.</summary>
    public static byte[] ToUtf8(ControlMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, CattyJson.Default.ControlMessage);

    private static string Describe(JsonException e) =>
        e.Message.Contains("type discriminator", StringComparison.OrdinalIgnoreCase) ? "unknown or missing \"type\"" : e.Message;
}
