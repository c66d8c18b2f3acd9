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
        Assert.Equal("root", plan.Environment["USER"]);
    }

    [Fact]
    public void Bwrap_itself_gets_a_fixed_environment_and_reads_the_programs_from_a_descriptor()
    {
        var plan = LaunchPlan.Create(Spec("bwrap", "claude"), "/srv/ws", "/srv/state", out _)!;

        Assert.Equal(["LANG", "PATH"], plan.HostEnvironment.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ProgramEnvironment.DefaultPath, plan.HostEnvironment["PATH"]);
        Assert.Equal(["--args", "3", "--seccomp", "4"], plan.Argv.Skip(1).Take(4));
        var piped = plan.PipedArgs!;
        Assert.Equal("--clearenv", piped[0]);
        // Every variable of the program, and only through --setenv after --clearenv.
        var set = new Dictionary<string, string>();
        for (var i = 1; i < piped.Count; i += 3)
        {
            Assert.Equal("--setenv", piped[i]);
            set[piped[i + 1]] = piped[i + 2];
        }
        Assert.Equal(plan.Environment.OrderBy(e => e.Key, StringComparer.Ordinal), set.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal("--clearenv\0--setenv\0A\0b c\0"u8.ToArray(), SandboxInputs.Encode(["--clearenv", "--setenv", "A", "b c"]));
        Assert.NotNull(plan.Seccomp);
    }

    [Fact]
    public void Sandboxed_argv_asks_for_a_user_namespace_no_capabilities_a_private_etc_and_capped_tmpfs()
    {
        var plan = LaunchPlan.Create(Spec("bwrap", "sh") with { TmpMb = 64 }, "/srv/ws", "/srv/state", out _)!;
        var argv = string.Join(' ', plan.Argv);

        Assert.Contains("--unshare-all --unshare-user --disable-userns --uid 0 --gid 0 --cap-drop ALL", argv, StringComparison.Ordinal);
        Assert.Contains("--ro-bind-try /proc/sys /proc/sys", argv, StringComparison.Ordinal);
        Assert.Contains("--dev /dev --remount-ro /dev --perms 1777 --size 67108864 --tmpfs /dev/shm", argv, StringComparison.Ordinal);
        Assert.Contains("--perms 1777 --size 67108864 --tmpfs /tmp", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("--ro-bind /etc /etc", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("--bind /sys", argv, StringComparison.Ordinal);
        foreach (var name in new[] { "passwd", "group", "hosts", "hostname", "nsswitch.conf", "resolv.conf" })
            Assert.Contains($"--ro-bind /srv/state/etc/{name} /etc/{name}", argv, StringComparison.Ordinal);
        Assert.Contains("--ro-bind-try /etc/ld.so.cache /etc/ld.so.cache", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("shadow", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("ssl/private", argv, StringComparison.Ordinal);
        Assert.DoesNotContain("sudoers", argv, StringComparison.Ordinal);
        Assert.Equal(["passwd", "group", "hostname", "hosts", "nsswitch.conf"], plan.EtcFiles.Keys);
        Assert.Contains("127.0.1.1\tbrave-tiger-1234", plan.EtcFiles["hosts"], StringComparison.Ordinal);

        var uncapped = string.Join(' ', LaunchPlan.Create(Spec("bwrap", "sh") with { TmpMb = 0 }, "/srv/ws", "/srv/state", out _)!.Argv);
        Assert.Contains("--perms 1777 --tmpfs /tmp", uncapped, StringComparison.Ordinal);
        Assert.DoesNotContain("--size", uncapped, StringComparison.Ordinal);
    }

    [Fact]
    public void The_resolver_file_keeps_only_the_hosts_resolver_lines()
    {
        var host = "# generated\nnameserver 10.0.0.2\nsearch corp.example\noptions ndots:2\nsortlist 1.2.3.4\n  nameserver 2001:db8::1  \n";

        Assert.Equal("nameserver 10.0.0.2\nsearch corp.example\noptions ndots:2\nnameserver 2001:db8::1\n", SandboxEtc.ResolvConf(host));
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
