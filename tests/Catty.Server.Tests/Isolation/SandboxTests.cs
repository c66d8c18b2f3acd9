using System.Globalization;
using System.Text;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// Attacks typed into a real session, as a prompt-injected agent with every permission pre-approved would, with
/// the server (and so bwrap) running as root: none may reach the host. And the everyday work of a coding agent
/// still works in the same sandbox.
/// </summary>
public sealed class SandboxTests
{
    [Fact]
    public async Task Kernel_settings_host_secrets_and_capabilities_are_out_of_reach()
    {
        var hostCorePattern = await File.ReadAllTextAsync("/proc/sys/kernel/core_pattern");
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        // A core_pattern starting with '|' would run a program of the session's as the host's root on any crash.
        await RunAsync(terminal, "echo '|/workspace/pwn' > /proc/sys/kernel/core_pattern", "Read-only file system");
        Assert.Equal(hostCorePattern, await File.ReadAllTextAsync("/proc/sys/kernel/core_pattern"));

        Assert.True(File.Exists("/etc/shadow") && Directory.Exists("/etc/ssl/private"), "the host has the files this test looks for");
        await RunAsync(terminal, "cat /etc/shadow", "No such file or directory");
        await RunAsync(terminal, "cat /etc/gshadow", "No such file or directory");
        await RunAsync(terminal, "ls /etc/ssl/private", "No such file or directory");

        var status = await RunAsync(terminal, "grep -E '^(CapEff|CapBnd|CapPrm|Seccomp):' /proc/self/status");
        Assert.Contains("CapEff:\t0000000000000000", status, StringComparison.Ordinal);
        Assert.Contains("CapBnd:\t0000000000000000", status, StringComparison.Ordinal);
        Assert.Contains("CapPrm:\t0000000000000000", status, StringComparison.Ordinal);
        Assert.Contains("Seccomp:\t2", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespaces_mounts_keyrings_and_bpf_are_refused()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await File.WriteAllTextAsync(Path.Combine(Workspace(server, session), "probe.c"), """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/syscall.h>
            #include <unistd.h>
            int main(void) {
                long r = syscall(SYS_keyctl, 0, -3, 1);
                printf("keyctl:%s\n", r == -1 ? strerrorname_np(errno) : "ok");
                r = syscall(SYS_bpf, 0, NULL, 0);
                printf("bpf:%s\n", r == -1 ? strerrorname_np(errno) : "ok");
                return 0;
            }
            """);
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        await RunAsync(terminal, "unshare -U id -u; echo rc=$?", "rc=1");
        await RunAsync(terminal, "unshare -m true; echo rc=$?", "rc=1");
        await RunAsync(terminal, "mkdir -p /tmp/m && mount -t tmpfs none /tmp/m; echo rc=$?", "rc=32");
        var probe = await RunAsync(terminal, "gcc -o probe probe.c && ./probe");
        Assert.Contains("keyctl:EPERM", probe, StringComparison.Ordinal);
        Assert.Contains("bpf:EPERM", probe, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_reach_the_program_but_no_process_on_the_host_side_of_the_sandbox()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync(new Dictionary<string, string> { ["CATTY_TEST_SECRET"] = secret });
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await RunAsync(terminal, "echo \"len=${#CATTY_TEST_SECRET}\"", $"len={secret.Length}");

        // bwrap and everything else in the host's process namespace: neither their command line nor their
        // environment may hold the value (a loader variable there would run code on the host). The program, in
        // the sandbox's own process namespace, has it in its environment.
        var ours = PidNamespace("self");
        var inside = 0;
        foreach (var (pid, ns) in Processes())
        {
            var environ = ReadProc(pid, "environ");
            if (ns == ours)
            {
                Assert.False(environ.Contains(secret, StringComparison.Ordinal), $"process {pid} ({ReadProc(pid, "comm").Trim()}) on the host has the secret in its environment");
                Assert.False(ReadProc(pid, "cmdline").Contains(secret, StringComparison.Ordinal), $"process {pid} on the host has the secret on its command line");
            }
            else if (environ.Contains(secret, StringComparison.Ordinal))
            {
                inside++;
            }
        }
        Assert.True(inside > 0, "no sandboxed process has the secret: the test saw nothing");
    }

    [Fact]
    public async Task Everyday_work_runs_git_gcc_vi_top_python_and_npm()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var workspace = Workspace(server, session);
        WriteWheel(Path.Combine(workspace, "tiny-1.0-py3-none-any.whl"));
        Directory.CreateDirectory(Path.Combine(workspace, "jslib"));
        await File.WriteAllTextAsync(Path.Combine(workspace, "jslib", "package.json"), """{"name":"jslib","version":"1.0.0","main":"index.js"}""");
        await File.WriteAllTextAsync(Path.Combine(workspace, "jslib", "index.js"), "module.exports = 6 * 7;\n");
        await File.WriteAllTextAsync(Path.Combine(workspace, "h.c"), "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 6 * 7); return 0; }\n");
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        await RunAsync(terminal, "git init -q repo && cd repo && echo hi > a.txt && git add a.txt && git -c user.name=t -c user.email=t@example.com commit -qm first && git log --format=%s%s && cd ..", "firstfirst");
        await RunAsync(terminal, "gcc -o h h.c && ./h", "42\r\n");

        await RunAsync(terminal, "python3 -m venv ~/venv && ~/venv/bin/pip install -q --no-index ./tiny-1.0-py3-none-any.whl && ~/venv/bin/python -c 'import tiny; print(tiny.ANSWER * 2)'", "84\r\n");
        await RunAsync(terminal, "npm init -y >/dev/null && npm install --offline --no-audit --no-fund ./jslib >/dev/null && node -e 'console.log(\"n=\" + (require(\"jslib\") + 100))'", "n=142");

        await terminal.SendAsync("vi notes.txt\r");
        await terminal.ReadUntilAsync("[New]");
        await terminal.SendAsync("iwritten in vi\u001b:wq\r");
        await terminal.ReadUntilAsync("written");
        // Keys typed before vi has given the terminal back would go to vi: wait for the shell's prompt.
        await terminal.ReadUntilAsync(":/workspace# ");
        Assert.Equal("written in vi\n", await File.ReadAllTextAsync(Path.Combine(workspace, "notes.txt")));

        await terminal.SendAsync("top\r");
        await terminal.ReadUntilAsync("load average");
        await terminal.ReadUntilAsync("Tasks:");
        await terminal.SendAsync("q");
        await terminal.ReadUntilAsync(":/workspace# ");
        await RunAsync(terminal, "echo after-top-$((2*3))", "after-top-6");
    }

    /// <summary>A pure-Python wheel of one module, so pip installs it with no index and no build step.</summary>
    private static void WriteWheel(string path)
    {
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        void Add(string name, string content)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(content);
        }
        Add("tiny/__init__.py", "ANSWER = 42\n");
        Add("tiny-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tiny\nVersion: 1.0\n");
        Add("tiny-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: catty-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        Add("tiny-1.0.dist-info/RECORD", "tiny/__init__.py,,\ntiny-1.0.dist-info/METADATA,,\ntiny-1.0.dist-info/WHEEL,,\ntiny-1.0.dist-info/RECORD,,\n");
    }

    private static string Workspace(CattyTestServer server, CreateSessionResponse session) =>
        Path.Combine(server.DataDir.Path, "workspaces", session.MachineId);

    /// <summary>
    /// Runs a command line and returns what was printed after it, up to a marker the typed line cannot contain
    /// (it is computed by the shell); checks that <paramref name="expect"/> is in it.
    /// </summary>
    private static async Task<string> RunAsync(TerminalClient terminal, string command, string? expect = null)
    {
        var n = Random.Shared.Next(1000, 100_000);
        var marker = $"@{n + 1}@";
        await terminal.SendAsync($"{command}; echo \"@$(({n}+1))@\"\r");
        var output = await terminal.ReadUntilAsync(marker, TimeSpan.FromSeconds(90));
        if (expect is not null)
            Assert.True(output.Contains(expect, StringComparison.Ordinal), $"`{command}` printed: {output}");
        return output;
    }

    private static IEnumerable<(int Pid, string Namespace)> Processes()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && PidNamespace(pid.ToString(CultureInfo.InvariantCulture)) is { } ns)
                yield return (pid, ns);
        }
    }

    private static string? PidNamespace(string pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A /proc file of a process, "" once it has gone.</summary>
    private static string ReadProc(int pid, string file)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/{file}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
