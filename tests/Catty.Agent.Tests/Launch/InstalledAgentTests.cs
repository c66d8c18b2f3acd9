using Catty.Agent.Hosting;
using Catty.Agent.Launch;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Launch;

/// <summary>
/// An agent installed outside /usr and /opt runs in the sandbox when its folder is listed, and only then;
/// a home template configures the program's fresh home.
/// </summary>
public sealed class InstalledAgentTests
{
    /// <summary>
    /// The program starts when the client connects, so the client reads its output as written; a program that
    /// finished first would reach the client as a replayed screen, which draws blank runs with cursor moves.
    /// </summary>
    private const int WaitForTheClient = 600_000;

    [Fact]
    public async Task A_program_in_a_listed_folder_runs_in_the_sandbox_which_shows_that_folder_read_only()
    {
        using var tools = ToolFolder(out var tool);
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Sandbox = "bwrap",
            Argv = [tool],
            ReadOnlyPaths = [tools.Path],
            StartHoldMs = WaitForTheClient,
        });
        await using var client = await agent.ConnectAsync();

        await client.ReadUntilAsync("tool-ran-42 in /workspace");
        await client.ReadUntilAsync("write refused");
        Assert.True((await agent.GetStatusAsync()).Sandboxed);
        Assert.Equal(0, (await client.NextControlAsync<ExitMessage>()).Code);
        Assert.False(File.Exists(Path.Combine(tools.Path, "written")));
    }

    [Fact]
    public async Task A_program_the_sandbox_cannot_see_is_refused_with_a_message_naming_it()
    {
        using var tools = ToolFolder(out var tool);
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap", Argv = [tool] });
        await using var client = await agent.ConnectAsync();

        var exit = await client.NextControlAsync<ExitMessage>();
        var text = System.Text.Encoding.UTF8.GetString(client.Bytes);
        Assert.Equal(RunningProgram.CannotRunExitCode, exit.Code);
        Assert.Contains($"{tool} ({tool}) is outside what the sandbox shows", text, StringComparison.Ordinal);
        Assert.Contains("ReadOnlyPaths", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bwrap")]
    [InlineData("none")]
    public async Task A_home_template_fills_the_fresh_home_without_links_or_special_files(string sandbox)
    {
        using var template = new TempDir();
        File.WriteAllText(template.Combine(".toolrc"), "configured=yes\n");
        Directory.CreateDirectory(template.Combine(".config", "tool"));
        File.WriteAllText(template.Combine(".config", "tool", "settings.json"), "{\"answered\":true}");
        File.SetUnixFileMode(template.Combine(".toolrc"), UnixFileMode.UserRead);
        File.CreateSymbolicLink(template.Combine("link-to-etc"), "/etc");
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Sandbox = sandbox,
            Argv = ["sh", "-c", "cat ~/.toolrc ~/.config/tool/settings.json; echo; ls -A ~ | tr '\\n' ' '; echo '<'end'>'; echo more >> ~/.toolrc && echo writable"],
            HomeTemplate = template.Path,
            StartHoldMs = WaitForTheClient,
        });
        await using var client = await agent.ConnectAsync();

        var output = await client.ReadUntilAsync("writable");
        Assert.Contains("configured=yes", output, StringComparison.Ordinal);
        Assert.Contains("{\"answered\":true}", output, StringComparison.Ordinal);
        Assert.Contains(".config .toolrc <end>", output, StringComparison.Ordinal);
        Assert.Equal(0, (await client.NextControlAsync<ExitMessage>()).Code);
        Assert.Equal("configured=yes\n", File.ReadAllText(template.Combine(".toolrc")));
    }

    [Fact]
    public void Bad_read_only_paths_and_home_templates_are_refused_in_the_launch_spec()
    {
        Assert.Null(LaunchSpecReader.Parse(Json("\"read_only_paths\":[\"relative/dir\"]"), out var relative));
        Assert.Null(LaunchSpecReader.Parse(Json("\"home_template\":\"home\""), out var template));

        Assert.Contains("read-only path 'relative/dir' must be an absolute path", relative, StringComparison.Ordinal);
        Assert.Contains("home template 'home' must be an absolute path", template, StringComparison.Ordinal);
        Assert.NotNull(LaunchSpecReader.Parse(Json("\"read_only_paths\":[\"/srv/tools\"],\"home_template\":\"/srv/home\""), out _));
    }

    [Fact]
    public void The_sandbox_binds_listed_folders_after_its_private_tmp()
    {
        var spec = new AgentLaunchSpec(Guid.NewGuid(), "l", ["/tmp/tools/bin/tool"], new Dictionary<string, string>(), Sandbox: "bwrap", ReadOnlyPaths: ["/tmp/tools"]);

        var argv = string.Join(' ', LaunchPlan.Create(spec, "/srv/ws", "/srv/state", out _)?.Argv ?? []);

        Assert.True(argv.IndexOf("--ro-bind /tmp/tools /tmp/tools", StringComparison.Ordinal) > argv.IndexOf("--tmpfs /tmp", StringComparison.Ordinal), argv);
    }

    private static byte[] Json(string extra) =>
        System.Text.Encoding.UTF8.GetBytes("{\"session_id\":\"00000000-0000-0000-0000-000000000001\",\"label\":\"l\",\"argv\":[\"sh\"],\"env\":{}," + extra + "}");

    /// <summary>A folder outside the system folders holding an executable script, as a project-local install would.</summary>
    private static TempDir ToolFolder(out string tool)
    {
        var tools = new TempDir();
        Directory.CreateDirectory(tools.Combine("bin"));
        tool = tools.Combine("bin", "tool");
        File.WriteAllText(tool, "#!/bin/sh\necho \"tool-ran-$((6*7)) in $(pwd)\"\ntouch \"$(dirname \"$0\")/../written\" 2>/dev/null || echo 'write refused'\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return tools;
    }
}
