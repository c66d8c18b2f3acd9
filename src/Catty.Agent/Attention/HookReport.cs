using System.Text.Json;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;

namespace Catty.Agent.Attention;

/// <summary>
/// Reads what a hook reported: Claude Code's hook events (the event name, with the hook's JSON input) and
/// Codex's <c>notify</c> JSON. The payload comes from inside the sandbox, so it only ever selects one of
/// the three states; nothing of it is kept or passed on.
/// </summary>
internal static class HookReport
{
    /// <summary>The state the report means, or null when it says nothing about attention (or cannot be read).</summary>
    public static string? StateOf(string source, string hookEvent, ReadOnlySpan<byte> payload) => source switch
    {
        AttentionSource.Claude => ClaudeState(hookEvent, payload),
        AttentionSource.Codex => CodexState(payload),
        _ => null,
    };

    private static string? ClaudeState(string hookEvent, ReadOnlySpan<byte> payload) => hookEvent switch
    {
        "SessionStart" or "Stop" or "SessionEnd" => AttentionState.Idle,
        "UserPromptSubmit" or "PreToolUse" or "PostToolUse" or "PreCompact" => AttentionState.Working,
        "PermissionRequest" => AttentionState.NeedsInput,
        "Notification" => NotificationState(payload),
        _ => null,
    };

    private static string? NotificationState(ReadOnlySpan<byte> payload)
    {
        var kind = StringMember(payload, "notification_type");
        switch (kind)
        {
            case "permission_prompt" or "elicitation_dialog":
                return AttentionState.NeedsInput;
            case "idle_prompt":
                return AttentionState.Idle;
            case not null:
                return null;
        }
        // Versions before notification_type tell the kinds apart only by their message.
        var message = StringMember(payload, "message");
        if (message is null)
            return null;
        if (message.Contains("permission", StringComparison.OrdinalIgnoreCase))
            return AttentionState.NeedsInput;
        return message.Contains("waiting for your input", StringComparison.OrdinalIgnoreCase) ? AttentionState.Idle : null;
    }

    private static string? CodexState(ReadOnlySpan<byte> payload)
    {
        var type = StringMember(payload, "type");
        if (type is null)
            return null;
        if (type == "agent-turn-complete")
            return AttentionState.Idle;
        return type.Contains("approval", StringComparison.Ordinal) ? AttentionState.NeedsInput : null;
    }

    private static string? StringMember(ReadOnlySpan<byte> payload, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            string? value = null;
            // Read to the end even after a match: a truncated or garbled report means nothing.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                    value = reader.GetString();
                reader.Skip();
            }
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
