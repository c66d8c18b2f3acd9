using Catty.Agent.Launch;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Tests.Launch;

public sealed class LaunchPlanTests
{
    private static AgentLaunchSpec Spec(string sandbox, params string[] argv) =>
        new(Guid.NewGuid(), "Brave Tiger_1234!", argv, new Dictionary<string, string> { ["API_KEY"] = "secret-value" }, Sandbox: sandbox);

    [Fact]
    public void Sandboxed_argv_binds_only_the_system_the_workspace_and_the_home_and_never_carries_the_environment()
    {
        var plan = LaunchPlan.Create(Spec("bwrap", "claude", "--flag"), "/srv/ws", "/srv/state", out var error)!;

        Assert.Null(error);
        Assert.True(plan.Sandboxed);
        var argv = string.Join(' ', plan.Argv);
        Assert.Contains("--bind /srv/ws /workspace", argv, StringComparison.Ordinal);
        Assert.Contains("--bind /srv/state/home /home/catty", argv, StringComparison.Ordinal);
        Assert.Contains("--ro-bind /usr /usr", argv, StringComparison.Ordinal);
        Assert.Contains("--remount-ro /", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("--new-session", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", argv, StringComparison.Ordinal);
        Assert.EndsWith("-- claude --flag", argv, StringComparison.Ordinal);
        Assert.Equal("secret-value", plan.Environment["API_KEY"]);
        Assert.Equal("/home/catty", plan.Environment["HOME"]);
        Assert.Equal("1", plan.Environment["IS_SANDBOX"]);
    }

    [Fact]
    public void Auto_sandboxes_when_bubblewrap_is_installed_and_bwrap_insists_on_it()
    {
        var bwrapInstalled = ProgramEnvironment.FindOnPath("bwrap", ProgramEnvironment.DefaultPath) is not null;

        Assert.Equal(bwrapInstalled, LaunchPlan.Create(Spec("auto", "sh"), "/srv/ws", "/srv/state", out _)!.Sandboxed);
        Assert.True(bwrapInstalled, "scripts/install-deps.sh installs bubblewrap; the sandbox tests need it");
    }

    [Fact]
    public void The_label_becomes_a_valid_hostname()
    {
        Assert.Equal("brave-tiger-1234", LaunchPlan.Hostname("Brave Tiger_1234!"));
        Assert.Equal("catty", LaunchPlan.Hostname("!!!"));
        Assert.Equal(63, LaunchPlan.Hostname(new string('a', 100)).Length);
    }

    [Fact]
    public void Without_a_sandbox_the_command_is_found_on_the_programs_own_path()
    {
        var plan = LaunchPlan.Create(Spec("none", "sh", "-c", "true"), "/srv/ws", "/srv/state", out _)!;

        Assert.False(plan.Sandboxed);
        Assert.Equal("/srv/ws", plan.WorkingDirectory);
        Assert.False(plan.Environment.ContainsKey("IS_SANDBOX"));
        Assert.True(Path.IsPathRooted(plan.Argv[0]) && plan.Argv[0].EndsWith("/sh", StringComparison.Ordinal), plan.Argv[0]);
        Assert.Null(LaunchPlan.Create(Spec("none", "no-such-command-anywhere"), "/srv/ws", "/srv/state", out var error));
        Assert.Equal("no-such-command-anywhere: command not found", error);
    }
}
