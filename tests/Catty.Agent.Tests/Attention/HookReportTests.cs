using System.Text;
using Catty.Agent.Attention;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;

namespace Catty.Agent.Tests.Attention;

/// <summary>What each hook event means, and that garbled or foreign payloads mean nothing.</summary>
public sealed class HookReportTests
{
    [Theory]
    [InlineData("SessionStart", "{}", AttentionState.Idle)]
    [InlineData("UserPromptSubmit", "{\"prompt\":\"hi\"}", AttentionState.Working)]
    [InlineData("PreToolUse", "{\"tool_name\":\"Bash\"}", AttentionState.Working)]
    [InlineData("PostToolUse", "{}", AttentionState.Working)]
    [InlineData("PermissionRequest", "{}", AttentionState.NeedsInput)]
    [InlineData("Notification", "{\"message\":\"x\",\"notification_type\":\"permission_prompt\"}", AttentionState.NeedsInput)]
    [InlineData("Notification", "{\"notification_type\":\"elicitation_dialog\"}", AttentionState.NeedsInput)]
    [InlineData("Notification", "{\"notification_type\":\"idle_prompt\"}", AttentionState.Idle)]
    [InlineData("Notification", "{\"notification_type\":\"auth_success\"}", null)]
    [InlineData("Notification", "{\"message\":\"Claude needs your permission to use Bash\"}", AttentionState.NeedsInput)]
    [InlineData("Notification", "{\"message\":\"Claude is waiting for your input\"}", AttentionState.Idle)]
    [InlineData("Notification", "{\"message\":\"something else\"}", null)]
    [InlineData("Notification", "{\"notification_type\":[\"permission_prompt\"]}", null)]
    [InlineData("Notification", "not json", null)]
    [InlineData("Notification", "{\"message\":\"permission\"", null)]
    [InlineData("Stop", "{}", AttentionState.Idle)]
    [InlineData("SessionEnd", "{}", AttentionState.Idle)]
    [InlineData("SubagentStop", "{}", null)]
    public void Claude_Code_hook_events(string hookEvent, string payload, string? expected) =>
        Assert.Equal(expected, HookReport.StateOf(AttentionSource.Claude, hookEvent, Encoding.UTF8.GetBytes(payload)));

    [Theory]
    [InlineData("{\"type\":\"agent-turn-complete\",\"last-assistant-message\":\"done\"}", AttentionState.Idle)]
    [InlineData("{\"type\":\"approval-requested\"}", AttentionState.NeedsInput)]
    [InlineData("{\"type\":\"something-new\"}", null)]
    [InlineData("[1,2,3]", null)]
    [InlineData("", null)]
    public void Codex_notify_payloads(string payload, string? expected) =>
        Assert.Equal(expected, HookReport.StateOf(AttentionSource.Codex, "notify", Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void Deeply_nested_payloads_are_refused_not_walked()
    {
        var deep = "{\"a\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"notification_type\":\"permission_prompt\"}";
        Assert.Null(HookReport.StateOf(AttentionSource.Claude, "Notification", Encoding.UTF8.GetBytes(deep)));
    }
}
