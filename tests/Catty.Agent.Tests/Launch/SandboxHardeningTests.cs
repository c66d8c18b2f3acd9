using System.Diagnostics;
using Catty.Agent.Tests.Fixtures;
using static Catty.Agent.Tests.Launch.SandboxTests;

namespace Catty.Agent.Tests.Launch;

/// <summary>
/// What the sandboxed program may not do even as root of the agent's host (these tests run as root, and so do
/// the agent and bwrap): change the host's kernel settings, read host secrets in /etc, gain capabilities, make
/// namespaces or mounts, fill memory through /tmp, or act on bwrap through loader variables.
/// </summary>
public sealed class SandboxHardeningTests
{
    private static string ProbeSource(string name) => Path.Combine(AppContext.BaseDirectory, "Launch", "Probes", name);

    [Fact]
    public async Task The_program_is_root_of_its_own_user_namespace_with_no_capabilities_and_a_syscall_filter()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap" });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        var status = await RunAsync(client, "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status");
        foreach (var cap in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
            Assert.Contains($"{cap}:\t0000000000000000", status, StringComparison.Ordinal);
        Assert.Contains("NoNewPrivs:\t1", status, StringComparison.Ordinal);
        Assert.Contains("Seccomp:\t2", status, StringComparison.Ordinal);
        // Its own user namespace: uid 0 inside is one host uid (the agent's), not the whole range.
        Assert.Matches(@"^\s*0\s+\d+\s+1\s*$", (await RunAsync(client, "cat /proc/self/uid_map")).Trim());
        Assert.Equal("0", (await RunAsync(client, "id -u")).Trim());
        await RunAsync(client, "unshare -U true; echo rc=$?", "rc=1");
        await RunAsync(client, "unshare -m true; echo rc=$?", "rc=1");
    }

    [Fact]
    public async Task Kernel_settings_and_device_folders_are_read_only_and_sys_is_absent()
    {
        var hostCorePattern = File.ReadAllText("/proc/sys/kernel/core_pattern");
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap" });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await RunAsync(client, "echo '|/workspace/pwn' > /proc/sys/kernel/core_pattern", "Read-only file system");
        await RunAsync(client, "echo 1 > /proc/sys/vm/drop_caches", "Read-only file system");
        await RunAsync(client, "touch /dev/filler", "Read-only file system");
        await RunAsync(client, "ls /sys", "No such file or directory");
        await RunAsync(client, "echo ok > /dev/null && echo null-$?", "null-0");

        Assert.Equal(hostCorePattern, File.ReadAllText("/proc/sys/kernel/core_pattern"));
    }

    [Fact]
    public async Task Etc_holds_generated_users_and_names_and_harmless_host_files_but_no_host_secrets()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap" });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        foreach (var secret in new[] { "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssl/private", "/etc/ssh/ssh_host_ed25519_key" })
            await RunAsync(client, $"ls {secret}", "No such file or directory");
        Assert.Equal(
            "root:x:0:0:root:/home/catty:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            await RunAsync(client, "cat /etc/passwd"));
        Assert.Equal("root /home/catty", (await RunAsync(client, "echo $(whoami) ~")).Trim());
        await RunAsync(client, "cat /etc/hostname", "brave-tiger-1234");
        await RunAsync(client, "getent hosts brave-tiger-1234", "127.0.1.1");
        // What normal tools need from the host's /etc is there: the loader cache, CA certificates, vi's alternative.
        await RunAsync(client, "ls /etc/ld.so.cache /etc/ssl/certs/ca-certificates.crt && echo found-$?", "found-0");
        await RunAsync(client, "readlink -f /usr/bin/vi", "/usr/bin/vim");
        await RunAsync(client, "touch /etc/passwd", "Read-only file system");
        Assert.Equal(File.ReadAllText(Path.Combine(agent.StateDir, "etc", "passwd")), await RunAsync(client, "cat /etc/passwd"));
    }

    [Fact]
    public async Task Filling_tmp_past_its_cap_fails_with_no_space_and_the_session_lives_on()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap", TmpMb = 4 });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await RunAsync(client, "head -c 8M /dev/zero > /tmp/fill", "No space left on device");
        await RunAsync(client, "head -c 8M /dev/zero > /dev/shm/fill", "No space left on device");
        Assert.Equal("4096", (await RunAsync(client, "df -k --output=size /tmp | tail -1")).Trim());
        await RunAsync(client, "rm /tmp/fill && echo small > /tmp/after && cat /tmp/after", "small");
        Assert.Equal("running", (await agent.GetStatusAsync()).State);
    }

    [Fact]
    public async Task Denied_system_calls_fail_and_ordinary_ones_work_in_a_program_compiled_inside()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap" });
        File.Copy(ProbeSource("syscalls.c"), Path.Combine(agent.Workspace, "syscalls.c"));
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await RunAsync(client, "gcc -O1 -o probe syscalls.c && echo built-$?", "built-0");
        var output = await RunAsync(client, "./probe", "probes-done");

        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);
        foreach (var denied in new[] { "keyctl", "add_key", "bpf", "perf_event_open", "userfaultfd", "setns", "mount", "unshare_user", "unshare_mount", "personality_no_aslr", "clock_settime" })
            Assert.True(results[denied] == "EPERM", $"{denied}: {results[denied]}");
        Assert.Equal("ENOSYS", results["clone3"]);
        Assert.Equal("ENOSYS", results["io_uring_setup"]);
        Assert.Equal("ok", results["unshare_files"]);
        Assert.Equal("ok", results["personality_query"]);
        Assert.Equal("ok", results["fork"]);
    }

    [Fact]
    public async Task Loader_variables_among_the_sessions_reach_the_program_but_never_run_a_library_in_a_host_process()
    {
        using var host = new TempDir();
        var marks = host.Combine("marks");
        var libs = host.Combine("libs");
        Directory.CreateDirectory(marks);
        Directory.CreateDirectory(libs);
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Sandbox = "bwrap",
            // Started by the first client, so the library is built before anything is spawned.
            StartHoldMs = 60_000,
            Env = new()
            {
                ["PS1"] = "$ ",
                // The host path for a host-side process, the sandbox path for the program.
                ["LD_PRELOAD"] = $"{host.Combine("workspace-lib.so")}:/workspace/mark.so",
                ["LD_AUDIT"] = host.Combine("workspace-lib.so"),
                // bwrap links libselinux and libcap: a folder offering both would be searched first.
                ["LD_LIBRARY_PATH"] = libs,
            },
        });
        var source = ProbeSource("loader_mark.c");
        await CompileAsync(source, marks, Path.Combine(agent.Workspace, "mark.so"));
        File.Copy(Path.Combine(agent.Workspace, "mark.so"), host.Combine("workspace-lib.so"));
        File.Copy(Path.Combine(agent.Workspace, "mark.so"), Path.Combine(libs, "libselinux.so.1"));
        File.Copy(Path.Combine(agent.Workspace, "mark.so"), Path.Combine(libs, "libcap.so.2"));

        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");
        await RunAsync(client, "echo preload=$LD_PRELOAD", "/workspace/mark.so");

        Assert.True(File.Exists(Path.Combine(agent.Workspace, "inside.mark")), "the library never ran inside: the variables did not reach the program");
        Assert.Contains("bash", File.ReadAllText(Path.Combine(agent.Workspace, "inside.mark")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(marks, "ran")), "a host-side process ran the library: " + ReadOrEmpty(Path.Combine(marks, "ran")));
        var bwrap = (await agent.GetStatusAsync()).Pid;
        Assert.Equal("bwrap", File.ReadAllText($"/proc/{bwrap}/comm").Trim());
        Assert.Equal(
            ["LANG=C.UTF-8", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            File.ReadAllText($"/proc/{bwrap}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static async Task CompileAsync(string source, string marks, string output)
    {
        var info = new ProcessStartInfo("gcc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-shared", "-fPIC", "-O1", $"-DHOST_MARKS=\"{marks}\"", "-o", output, source })
            info.ArgumentList.Add(arg);
        using var gcc = Process.Start(info)!;
        var errors = gcc.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline.Default);
        await gcc.WaitForExitAsync(cts.Token);
        Assert.True(gcc.ExitCode == 0, "gcc failed: " + await errors);
    }
}
