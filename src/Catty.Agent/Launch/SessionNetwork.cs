using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Launch;

/// <summary>The host programs an isolated network needs, found on the system PATH.</summary>
internal sealed record NetworkTools(string Pasta, string Nft, string Nsenter, string Env)
{
    /// <summary>The tools, or null with <paramref name="missing"/> naming what to install.</summary>
    public static NetworkTools? Find(out string? missing)
    {
        var pasta = ProgramEnvironment.FindOnPath("pasta", ProgramEnvironment.DefaultPath);
        var nft = ProgramEnvironment.FindOnPath("nft", ProgramEnvironment.DefaultPath);
        var nsenter = ProgramEnvironment.FindOnPath("nsenter", ProgramEnvironment.DefaultPath);
        var env = ProgramEnvironment.FindOnPath("env", ProgramEnvironment.DefaultPath);
        var absent = new List<string>();
        if (pasta is null)
            absent.Add("pasta (package passt)");
        if (nft is null)
            absent.Add("nft (package nftables)");
        if (nsenter is null)
            absent.Add("nsenter (package util-linux)");
        if (env is null)
            absent.Add("env (package coreutils)");
        missing = absent.Count == 0 ? null : string.Join(", ", absent);
        return missing is null ? new NetworkTools(pasta!, nft!, nsenter!, env!) : null;
    }
}

/// <summary>
/// Connects an isolated sandbox's own network namespace to the internet: the fence (<see cref="NetworkFence"/>)
/// loaded with nft from inside the namespace, and pasta attached with every port forward off, so nothing the
/// program listens on is reachable from the host, and with the gateway not mapped to the host, so the host's
/// loopback is not reachable from inside. Both run as the agent's own uid with a fixed environment, while the
/// program still waits on bubblewrap's block fd.
/// </summary>
internal static partial class SessionNetwork
{
    /// <summary>What the sandbox reads as /etc/resolv.conf.</summary>
    public static string ResolvConf => $"nameserver {NetworkFence.DnsAddress}\noptions edns0\n";

    /// <summary>Fences and connects the namespace of <paramref name="sandboxPid"/>; null when done, else why not.</summary>
    /// <param name="phases">Where the time went, for the agent's log.</param>
    public static string? Attach(int sandboxPid, AgentNetworkSpec network, NetworkTools tools, TimeSpan timeout, out string phases)
    {
        var clock = Stopwatch.StartNew();
        phases = "";
        var netns = $"/proc/{sandboxPid}/ns/net";
        // Root of the host's user namespace holds every capability over every namespace: it enters the network
        // namespace alone. Another uid must first enter the user namespace that owns the network namespace, which is
        // not the sandbox's own: under bwrap's --disable-userns the program sits in a nested user namespace that holds
        // no capability over the network. The kernel names the owner (NS_GET_USERNS); the tools open it through this
        // process's descriptor.
        // bubblewrap reports the sandbox's pid as soon as it is cloned, before the child has written its own uid and
        // gid maps; another uid that enters the namespaces before that is refused by nft. Wait for the maps.
        if (GetEUid() != 0 && !MapsWritten(sandboxPid, timeout))
            return $"the sandbox (pid {sandboxPid}) did not set up its user namespace within {timeout.TotalSeconds:0.#} s";
        using var owner = GetEUid() != 0 ? NetworkOwner.Open(netns, timeout) : null;
        if (GetEUid() != 0 && owner is null)
            return $"cannot open {netns} to find the user namespace that owns it";
        var userns = owner?.Path;
        var allow = (network.Allow ?? []).Select(IPNetwork.Parse).ToList();
        var rules = NetworkFence.Rules(allow, HostAddresses());

        List<string> nsenter = [tools.Nsenter, .. userns is null ? Array.Empty<string>() : ["--user=" + userns, "--preserve-credentials"], "--net=" + netns, "--", tools.Nft, "-f", "-"];
        List<string> pasta =
        [
            // Process.Start leaves SIGPIPE ignored in the child, and this pasta takes an ignored SIGPIPE for a
            // failure to set up its own handlers.
            tools.Env, "--default-signal=PIPE", tools.Pasta, "--config-net", "--netns", netns, .. userns is null ? Array.Empty<string>() : ["--userns", userns],
            // As root pasta would otherwise switch to "nobody", which may not open the sandbox's namespaces.
            "--runas", $"{GetUid()}:{GetGid()}",
            "-t", "none", "-u", "none", "-T", "none", "-U", "none", "--no-map-gw",
            "--dns-forward", NetworkFence.DnsAddress, "--quiet",
        ];
        // Independent of each other, so they run at once; the program waits for both.
        var ready = clock.Elapsed;
        var fence = Run(nsenter, rules);
        var link = Run(pasta, null);
        var started = clock.Elapsed;
        try
        {
            var deadline = Stopwatch.StartNew();
            var fenceError = Finish(fence, "nft", timeout - deadline.Elapsed);
            var fenced = clock.Elapsed;
            var linkError = Finish(link, "pasta", timeout - deadline.Elapsed);
            phases = $"namespace {ready.TotalMilliseconds:0} ms, spawn {(started - ready).TotalMilliseconds:0} ms, "
                + $"nft done at {fenced.TotalMilliseconds:0} ms, pasta at {clock.Elapsed.TotalMilliseconds:0} ms";
            return fenceError ?? linkError;
        }
        finally
        {
            fence.Process?.Dispose();
            link.Process?.Dispose();
        }
    }

    private static bool MapsWritten(int pid, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/uid_map").Trim().Length > 0 && File.ReadAllText($"/proc/{pid}/gid_map").Trim().Length > 0)
                    return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
            if (deadline.Elapsed >= timeout)
                return false;
            Thread.Sleep(2);
        }
    }

    /// <summary>Every address of this host's interfaces, read now.</summary>
    internal static List<IPAddress> HostAddresses()
    {
        var result = new List<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                result.AddRange(nic.GetIPProperties().UnicastAddresses.Select(a => a.Address));
        }
        catch (NetworkInformationException)
        {
            // Without the list the fixed ranges still hold; the host's public addresses then stay reachable.
        }
        return result;
    }

    private static (Process? Process, string? Error, Task<string>? Stderr) Run(List<string> argv, string? input)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.Skip(1))
            start.ArgumentList.Add(arg);
        // Nothing of the agent's environment (the server's settings, anything a loader would act on) reaches them.
        start.Environment.Clear();
        start.Environment["PATH"] = ProgramEnvironment.DefaultPath;
        start.Environment["LANG"] = "C.UTF-8";
        try
        {
            var process = Process.Start(start) ?? throw new IOException("no process");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
            return (process, null, stderr);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return (null, $"cannot run {argv[0]}: {e.Message}", null);
        }
    }

    private static string? Finish((Process? Process, string? Error, Task<string>? Stderr) run, string name, TimeSpan timeout)
    {
        if (run.Process is not { } process)
            return run.Error;
        if (!process.WaitForExit(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout))
        {
            process.Kill();
            return $"{name} did not finish within {timeout.TotalSeconds:0.#} s";
        }
        if (process.ExitCode == 0)
            return null;
        var stderr = run.Stderr!.Wait(TimeSpan.FromSeconds(1)) ? run.Stderr.Result : "";
        var said = string.Join(' ', stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Failed to send", StringComparison.Ordinal)).Take(3));
        return $"{name} failed (exit {process.ExitCode}){(said.Length > 0 ? ": " + said : "")}";
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEUid();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();
}

/// <summary>An open descriptor of the user namespace that owns a network namespace, named by a /proc path.</summary>
internal sealed partial class NetworkOwner : IDisposable
{
    private const uint NsGetUserns = 0xb701;
    private const int ReadOnlyCloseOnExec = 0x80000;
    private int _fd;

    private NetworkOwner(int fd) => _fd = fd;

    /// <summary>A path other programs can open to enter the owning user namespace.</summary>
    public string Path => $"/proc/{Environment.ProcessId}/fd/{_fd}";

    /// <summary>
    /// The owner of the network namespace at <paramref name="netnsPath"/>; null when it cannot be found within
    /// <paramref name="timeout"/>. bubblewrap's child is briefly not dumpable while it sets itself up, and then no
    /// other process of the same uid may open its namespaces, so the open is tried again until the deadline.
    /// </summary>
    public static NetworkOwner? Open(string netnsPath, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var net = OpenPath(netnsPath, ReadOnlyCloseOnExec);
        while (net < 0 && deadline.Elapsed < timeout && File.Exists(netnsPath))
        {
            Thread.Sleep(5);
            net = OpenPath(netnsPath, ReadOnlyCloseOnExec);
        }
        if (net < 0)
            return null;
        try
        {
            var owner = Ioctl(net, NsGetUserns, IntPtr.Zero);
            return owner < 0 ? null : new NetworkOwner(owner);
        }
        finally
        {
            Close(net);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
            Close(_fd);
        _fd = -1;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "open", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int OpenPath(string path, int flags);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, uint request, IntPtr arg);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
