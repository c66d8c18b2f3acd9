using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;

namespace Catty.Agent.Tests.Attention;

/// <summary>
/// The hooks the agent configures in the session's home reach it from inside the sandbox and change the
/// state it serves on <c>GET /attention</c>; forged, oversized and flooding reports change nothing.
/// </summary>
public sealed class HookChannelTests
{
    private const string Permission = "{\"session_id\":\"x\",\"hook_event_name\":\"Notification\",\"message\":\"Claude needs your permission to use Bash\",\"notification_type\":\"permission_prompt\"}";

    [Fact]
    public async Task Claude_Codes_configured_Notification_hook_reports_from_inside_the_sandbox()
    {
        // Runs the command Claude Code would run, as written into its settings, with the hook's JSON on stdin.
        const string script = """
            cmd=$(node -e 'const s = require(process.env.HOME + "/.claude/settings.json"); console.log(s.hooks.Notification.at(-1).hooks[0].command)')
            printf '%s' "$PAYLOAD" | sh -c "$cmd"
            echo "reported: $?"
            exec sleep 600
            """;
        using var template = TemplateWithFile(".claude/settings.json", "{\"model\": \"opus\", \"hooks\": {\"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"true\"}]}]}}");
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Argv = ["sh", "-c", script],
            Env = new() { ["PAYLOAD"] = Permission },
            Sandbox = "bwrap",
            Attention = AttentionSource.Claude,
            HomeTemplate = template.Path,
        });

        var attention = await agent.WaitForAttentionAsync(AttentionState.NeedsInput);

        Assert.True((await agent.GetStatusAsync()).Sandboxed);
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(agent.StateDir, "home", ".claude", "settings.json")));
        Assert.Equal("opus", settings.RootElement.GetProperty("model").GetString());
        var stop = settings.RootElement.GetProperty("hooks").GetProperty("Stop");
        Assert.Equal(["true", "node '/home/catty/.catty/hook.js' claude Stop"],
            stop.EnumerateArray().Select(e => e.GetProperty("hooks")[0].GetProperty("command").GetString()));
        Assert.True(attention.Since <= DateTimeOffset.UtcNow);
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("reported: 0");
        await client.SendAsync("\r");
        await agent.WaitForAttentionAsync(AttentionState.Working);
    }

    [Fact]
    public async Task Codex_notify_is_configured_in_its_home_and_reports_the_end_of_a_turn()
    {
        // Waits for a line (the person's prompt), then runs the notify command from config.toml as Codex does.
        const string script = """
            read line
            node -e '
              const toml = require("fs").readFileSync(process.env.HOME + "/.codex/config.toml", "utf8");
              const argv = JSON.parse(toml.split("\n")[0].replace(/^notify = /, ""));
              require("child_process").execFileSync(argv[0], [...argv.slice(1), JSON.stringify({type: "agent-turn-complete", "last-assistant-message": "done"})]);
            '
            echo "turn done"
            exec sleep 600
            """;
        using var template = TemplateWithFile(".codex/config.toml", "[tui]\nnotifications = true\n");
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Argv = ["sh", "-c", script],
            Attention = AttentionSource.Codex,
            HomeTemplate = template.Path,
        });
        var start = await agent.GetAttentionAsync();
        Assert.Equal(AttentionState.Idle, start.State);
        var home = Path.Combine(agent.StateDir, "home");
        Assert.Equal($"notify = [\"node\", \"{home}/.catty/hook.js\", \"codex\", \"notify\"]\n[tui]\nnotifications = true\n",
            File.ReadAllText(Path.Combine(home, ".codex", "config.toml")));

        await using var client = await agent.ConnectAsync();
        await client.SendAsync("write the tests\r");
        var working = await agent.GetAttentionAsync(start.Version);
        Assert.Equal(AttentionState.Working, working.State);
        await client.ReadUntilAsync("turn done");
        await agent.WaitForAttentionAsync(AttentionState.Idle);
    }

    [Fact]
    public async Task Forged_oversized_garbled_and_flooding_reports_are_refused_and_change_nothing()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Argv = ["sleep", "600"],
            Attention = AttentionSource.Claude,
            Options = ["hook-burst=3", "hook-reports-per-second=1"],
        });
        var socket = Path.Combine(agent.StateDir, "home", ".catty", "hooks.sock");
        await Poll.UntilAsync(() => agent.GetStatusAsync().Result.Pid > 0, "the program to start");
        var token = ProgramEnvironment((await agent.GetStatusAsync()).Pid)["CATTY_HOOK_TOKEN"];
        Assert.Equal(32, token.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        var before = await agent.GetAttentionAsync();

        Assert.Equal("error unauthorized", await ReportAsync(socket, $"CATTY-HOOK 1 {new string('0', 32)} claude Notification", Permission));
        Assert.Equal("error bad_header", await ReportAsync(socket, $"CATTY-HOOK 1 {token} codex notify", "{\"type\":\"approval-requested\"}"));
        Assert.Equal("error bad_header", await ReportAsync(socket, $"CATTY-HOOK 1 {token} claude Not<b>ification", Permission));
        Assert.Equal("error bad_header", await ReportAsync(socket, new string('A', 4096), ""));
        Assert.Equal("error too_large", await ReportAsync(socket, $"CATTY-HOOK 1 {token} claude Notification", Permission + new string(' ', 70_000)));
        Assert.Equal(before, await agent.GetAttentionAsync());

        Assert.Equal("ok", await ReportAsync(socket, $"CATTY-HOOK 1 {token} claude Notification", "garbage"));
        Assert.Equal("ok", await ReportAsync(socket, $"CATTY-HOOK 1 {token} claude Stop", "{}"));
        Assert.Equal(AttentionState.Idle, (await agent.GetAttentionAsync(before.Version)).State);
        Assert.Equal("ok", await ReportAsync(socket, $"CATTY-HOOK 1 {token} claude UserPromptSubmit", "{}"));
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
            answers.Add(await ReportAsync(socket, $"CATTY-HOOK 1 {token} claude Notification", Permission));
        Assert.Contains("error rate_limited", answers);
        Assert.Equal(AttentionState.Working, (await agent.GetAttentionAsync()).State);
        Assert.Contains("hook claude Stop: idle", agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shell_is_working_while_it_prints_and_idle_once_quiet_and_has_no_state_after_it_exits()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Options = ["attention-quiet-ms=300"] });
        Assert.False(File.Exists(Path.Combine(agent.StateDir, "home", ".catty", "hooks.sock")));
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");
        var idle = await agent.WaitForAttentionAsync(AttentionState.Idle);

        await client.SendAsync("for i in 1 2 3 4 5 6 7 8; do echo tick $i; sleep 0.1; done; exit 3\r");
        var working = await agent.GetAttentionAsync(idle.Version);
        Assert.Equal(AttentionState.Working, working.State);
        await client.ReadUntilAsync("tick 8");
        await agent.WaitForAttentionAsync(null);
    }

    private static async Task<string> ReportAsync(string socketPath, string header, string payload)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        var bytes = Encoding.UTF8.GetBytes(header + "\n" + payload);
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The agent stops reading an oversized report and answers before taking all of it.
        }
        var answer = new MemoryStream();
        var buffer = new byte[256];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            answer.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(answer.ToArray()).TrimEnd('\n');
    }

    private static Dictionary<string, string> ProgramEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    private static TempDir TemplateWithFile(string relative, string content)
    {
        var template = new TempDir();
        Directory.CreateDirectory(Path.GetDirectoryName(template.Combine(relative))!);
        File.WriteAllText(template.Combine(relative), content);
        return template;
    }
}
