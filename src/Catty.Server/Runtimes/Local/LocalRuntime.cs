using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Storage;
using Microsoft.Extensions.Options;

namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Runs each session as a detached catty-agent process on this host, listening on a Unix socket in the
/// machine's state directory. Agents outlive the server; a restarted server finds them by socket and pid.
/// </summary>
internal sealed class LocalRuntime(SessionHost host, IOptions<LocalRuntimeOptions> options, ILogger<LocalRuntime> logger) : ISessionRuntime
{
    public const string RuntimeName = "local";

    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Agents started by this process; waiting on them is exact, and their exit is reaped.</summary>
    private readonly ConcurrentDictionary<int, Process> _children = new();

    public string Name => RuntimeName;

    public string AgentPath => string.IsNullOrWhiteSpace(options.Value.AgentPath) ? AgentProcess.DefaultPath() : options.Value.AgentPath;

    public async Task<Outcome<MachineAddress>> StartAsync(MachineLaunch launch, CancellationToken cancellationToken)
    {
        if (host.Prepare(AgentPath) is { } problem)
        {
            return Errors.Unavailable("session_failed", problem);
        }

        var machine = host.Machine(launch.MachineId);
        DataDirectory.CreatePrivateDirectory(machine.StateDir);
        DataDirectory.CreatePrivateDirectory(machine.Workspace);
        var endpoint = AgentEndpoint.Unix(machine.SocketPath);
        var limits = host.Limits;
        var spec = launch.Spec with
        {
            Sandbox = options.Value.Sandbox,
            Cols = options.Value.Cols,
            Rows = options.Value.Rows,
            StartHoldMs = (int)options.Value.ProgramStartHold.TotalMilliseconds,
            TmpMb = limits.TmpMb,
        };

        if (host.Allocate(launch.MachineId, out var refused) is not { } owner)
        {
            logger.LogError("Machine {MachineId}: {Reason}", launch.MachineId, refused);
            return Errors.Unavailable("session_failed", $"The session could not be placed on this host: {refused}.");
        }

        spec = spec with { ProgramCgroupProcs = owner.Cgroup?.ProgramProcsFile };
        if (host.GiveFolders(machine, owner) is { } notGiven)
        {
            host.Release(machine, launch.MachineId);
            return Errors.Unavailable("session_failed", $"The session could not be placed on this host: {notGiven}.");
        }

        var identity = new AgentIdentity(
            owner.Cgroup?.ProcsFiles ?? [],
            limits.DiskMb > 0 ? limits.DiskMb * 1024L : null,
            owner.Cgroup is null && host.SwitchesUsers && limits.Pids > 0 ? limits.Pids : null,
            host.SwitchesUsers ? owner.Uid : null,
            host.SwitchesUsers ? owner.Gid : null);
        Process process;
        try
        {
            process = Process.Start(AgentProcess.StartInfo(AgentPath, endpoint, machine, identity))
                ?? throw new InvalidOperationException("Process.Start returned no process.");
        }
        catch (Exception ex) when (ex is Win32Exception or IOException)
        {
            logger.LogError(ex, "Could not start catty-agent for machine {MachineId}", launch.MachineId);
            host.Release(machine, launch.MachineId);
            return Errors.Unavailable("session_failed", $"The session agent could not be started: {ex.Message}");
        }

        _children[process.Id] = process;
        await WriteSpecAsync(process, spec, cancellationToken);
        var started = Stopwatch.StartNew();
        if (await WaitUntilListeningAsync(machine, process, cancellationToken))
        {
            logger.LogInformation("Machine {MachineId}: agent pid {Pid} listening after {Elapsed} ms", launch.MachineId, process.Id, started.ElapsedMilliseconds);
            return new MachineAddress(launch.MachineId, endpoint, process.Id);
        }

        var exited = process.HasExited;
        try
        {
            // Our own child, not yet reaped: its pid is certainly still its own.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        var launcher = exited ? AgentProcess.LauncherFailure(process.ExitCode) : null;
        Forget(process.Id);
        host.Release(machine, launch.MachineId);
        var log = TailOf(machine.AgentLogPath);
        logger.LogError("Machine {MachineId}: agent {What}; agent.log ends with: {Log}", launch.MachineId,
            exited ? $"exited before listening{(launcher is null ? "" : $" ({launcher})")}" : "did not listen in time", log);
        return Errors.Unavailable("session_failed", exited
            ? $"The session agent exited during start{(launcher is null ? "" : $": {launcher}")}. {log}".TrimEnd()
            : $"The session agent did not accept connections within {options.Value.StartTimeout.TotalSeconds:0} s.");
    }

    public async Task<MachineProbe> ProbeAsync(MachineAddress machine, CancellationToken cancellationToken)
    {
        using var client = new AgentClient(machine.AgentEndpoint);
        var status = await client.StatusAsync(StatusTimeout, cancellationToken);
        if (status is not null)
        {
            return status.State == AgentState.Exited
                ? new MachineProbe(MachineCondition.Exited, status, status.ExitCode)
                : new MachineProbe(MachineCondition.Running, status);
        }

        var local = host.Machine(machine.MachineId);
        if (ReadExitStatus(local) is { } exit)
        {
            return new MachineProbe(MachineCondition.Exited, exit, exit.ExitCode);
        }

        // Alive but not answering (a loaded host, a paused process) is not lost: ask again next time.
        return AgentProcessTable.IsAlive(machine.AgentPid, local)
            ? new MachineProbe(MachineCondition.Running)
            : new MachineProbe(MachineCondition.Lost);
    }

    public async Task<AgentStatus?> DestroyAsync(MachineAddress machine, string reason, CancellationToken cancellationToken)
    {
        var local = host.Machine(machine.MachineId);
        var grace = options.Value.StopGrace;
        AgentStatus? final = null;
        if (AgentProcessTable.IsAlive(machine.AgentPid, local) || machine.AgentPid is null)
        {
            using var client = new AgentClient(machine.AgentEndpoint);
            final = await client.StopAsync(new AgentStopRequest(reason, (int)grace.TotalMilliseconds), grace + TimeSpan.FromSeconds(5), cancellationToken);
        }

        if (!await WaitForExitAsync(machine.AgentPid, local, grace + TimeSpan.FromSeconds(5), cancellationToken))
        {
            logger.LogWarning("Machine {MachineId}: agent pid {Pid} still running after stop; killing its process tree", machine.MachineId, machine.AgentPid);
            AgentProcessTable.KillTree(machine.AgentPid, local);
            await WaitForExitAsync(machine.AgentPid, local, TimeSpan.FromSeconds(5), cancellationToken);
        }

        if (machine.AgentPid is { } pid)
        {
            Forget(pid);
        }

        // Whatever left the agent's tree (a daemon that reparented, a process of a killed agent) is still in the cgroup.
        host.Release(local, machine.MachineId);
        return final ?? ReadExitStatus(local);
    }

    public async Task<byte[]> ReadFinalOutputAsync(MachineAddress machine, CancellationToken cancellationToken)
    {
        var path = host.Machine(machine.MachineId).OutputLogPath;
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    public Task DeleteAsync(MachineAddress machine, CancellationToken cancellationToken)
    {
        var local = host.Machine(machine.MachineId);
        host.Release(local, machine.MachineId);
        foreach (var dir in new[] { local.StateDir, local.Workspace })
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Machine {MachineId}: could not delete {Dir}", machine.MachineId, dir);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The limit a machine ran into: its cgroup saw an OOM kill (the program was killed for memory), or its
    /// workspace and home add up past DiskMb. Null when none.
    /// </summary>
    public void SetAttended(MachineAddress machine, bool attended) =>
        host.Read(machine.MachineId)?.Cgroup?.SetCpuShares(attended ? 1024 : Cgroups.CgroupLimits.UnattendedCpuShares);

    public Task<string?> LimitReachedAsync(MachineAddress machine, CancellationToken cancellationToken)
    {
        if (host.Read(machine.MachineId)?.Cgroup is { } cgroup && cgroup.OomKills() > 0)
        {
            return Task.FromResult<string?>(StopReason.OutOfMemory);
        }

        var diskMb = host.Limits.DiskMb;
        if (diskMb > 0)
        {
            var local = host.Machine(machine.MachineId);
            if (DiskUsage.Exceeds([local.Workspace, Path.Combine(local.StateDir, "home")], diskMb * 1024L * 1024L))
            {
                return Task.FromResult<string?>(StopReason.DiskFull);
            }
        }

        return Task.FromResult<string?>(null);
    }

    private static async Task WriteSpecAsync(Process process, AgentLaunchSpec spec, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(spec, CattyJson.Default.AgentLaunchSpec);
        try
        {
            await using var stdin = process.StandardInput.BaseStream;
            await stdin.WriteAsync(json, cancellationToken);
        }
        catch (IOException)
        {
            // The agent died before reading its spec; the wait below reports it.
        }
        finally
        {
            // The spec holds the secrets; do not leave them in a heap buffer longer than needed.
            Array.Clear(json);
        }
    }

    /// <summary>
    /// Polls on the wall clock (not the injected TimeProvider): this waits on a process, not on
    /// scheduling time, and must not freeze when tests stop the scheduler's clock.
    /// </summary>
    private async Task<bool> WaitUntilListeningAsync(LocalMachine machine, Process process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.Value.StartTimeout)
        {
            if (process.HasExited)
            {
                return false;
            }

            if (File.Exists(machine.SocketPath))
            {
                try
                {
                    await using var probe = await AgentEndpoint.ConnectAsync(AgentEndpoint.Unix(machine.SocketPath), cancellationToken);
                    return true;
                }
                catch (SocketException)
                {
                    // Bound but not yet listening.
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }

        return false;
    }

    private async Task<bool> WaitForExitAsync(int? pid, LocalMachine machine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (pid is { } id && _children.TryGetValue(id, out var child))
            {
                await child.WaitForExitAsync(deadline.Token);
                return true;
            }

            // Not our child (started before a restart): watch /proc on the wall clock.
            while (AgentProcessTable.IsAlive(pid, machine))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Forget(int pid)
    {
        if (_children.TryRemove(pid, out var process))
        {
            process.Dispose();
        }
    }

    private static AgentStatus? ReadExitStatus(LocalMachine machine)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(machine.ExitStatusPath), CattyJson.Default.AgentStatus);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string TailOf(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length <= 600 ? text : "…" + text[^600..];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
