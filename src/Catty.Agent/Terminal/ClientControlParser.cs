using System.Text.Json;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Terminal;

/// <summary>
/// What the agent accepts from a client in a text frame: the shared <see cref="ControlMessageParser"/>
/// plus the agent's own rules (a JSON object with a string "type" of a client message, sizes in range),
/// each failure with a precise reason. Every failure is an expected outcome: the session answers
/// <c>error</c> and carries on.
/// </summary>
internal static class ClientControlParser
{
    private static readonly HashSet<string> ServerOnlyTypes = new(StringComparer.Ordinal)
    {
        "ready", "exit", "error", "sync_back_ack", "file_change",
    };

    /// <summary>Client message types and the properties each must carry.</summary>
    private static readonly Dictionary<string, string[]> Required = new(StringComparer.Ordinal)
    {
        ["resize"] = ["cols", "rows"],
        ["signal"] = ["name"],
        ["ping"] = [],
        ["pong"] = [],
        ["sync_back"] = ["enabled"],
        ["file_upload"] = ["filename", "content"],
        ["file_upload_chunk"] = ["upload_id", "filename", "chunk_index", "total_chunks", "content"],
    };

    public static ControlMessage? Parse(ReadOnlySpan<byte> utf8, out string? error)
    {
        error = null;
        if (utf8.IsEmpty)
        {
            error = "empty control message";
            return null;
        }
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (PeekType(utf8, present, out error) is not { } type)
            return null;
        if (ServerOnlyTypes.Contains(type))
        {
            error = $"'{type}' is sent by the server, not by clients";
            return null;
        }
        if (!Required.TryGetValue(type, out var required))
        {
            error = $"unknown control message type '{Shorten(type)}'";
            return null;
        }
        if (required.Where(p => !present.Contains(p)).ToList() is { Count: > 0 } missing)
        {
            error = $"'{type}' needs {string.Join(" and ", missing)}";
            return null;
        }
        var parsed = utf8.Length > ControlMessageParser.MaxMessageBytes && type is "file_upload" or "file_upload_chunk"
            ? TryParseUpload(utf8, out var message, out var invalid)
            : ControlMessageParser.TryParse(utf8, out message, out invalid);
        if (!parsed)
        {
            error = $"invalid '{type}' message: {invalid}";
            return null;
        }
        error = message switch
        {
            ResizeMessage { Cols: < 1 or > 1000 } or ResizeMessage { Rows: < 1 or > 1000 } =>
                "resize needs cols and rows between 1 and 1000",
            SignalMessage { Name: "" } => "signal needs a name",
            null => "empty control message",
            _ => null,
        };
        return error is null ? message : null;
    }

    /// <summary>
    /// Uploads carry base64 content and may exceed the shared parser's bound for control messages; the
    /// driver holds them to its own upload bound instead.
    /// </summary>
    private static bool TryParseUpload(ReadOnlySpan<byte> utf8, out ControlMessage? message, out string error)
    {
        error = "";
        try
        {
            message = JsonSerializer.Deserialize(utf8, Catty.Sdk.CattyJson.Default.ControlMessage);
        }
        catch (JsonException e)
        {
            message = null;
            error = e.Message;
            return false;
        }
        return message is not null;
    }

    /// <summary>Checks the frame is a JSON object with a string "type", returns it, and collects the top-level property names.</summary>
    private static string? PeekType(ReadOnlySpan<byte> utf8, HashSet<string> present, out string? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "control message must be a JSON object";
                return null;
            }
            string? type = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                present.Add(reader.GetString()!);
                reader.Read();
                if (isType)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        error = "control message \"type\" must be a string";
                        return null;
                    }
                    type = reader.GetString();
                }
                reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "control message is not valid JSON";
                return null;
            }
            if (type is null)
                error = "control message needs a \"type\"";
            return type;
        }
        catch (JsonException)
        {
            error = "control message is not valid JSON";
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
