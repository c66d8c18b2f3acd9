namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Where one local machine keeps its things: <c>&lt;root&gt;/machines/&lt;id&gt;/</c> (agent socket, agent.json,
/// agent.log, exit.json, output.log, the program's home) and <c>&lt;root&gt;/workspaces/&lt;id&gt;/</c>, the root being
/// the data dir or <c>Catty:Runtimes:Local:MachinesDir</c> (see <see cref="SessionHost.ResolveRoot"/>).
/// </summary>
internal sealed record LocalMachine(string StateDir, string Workspace)
{
    /// <summary>Unix socket paths must fit in sockaddr_un.sun_path (108 bytes with the terminating NUL).</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>Machine ids are 12 hex digits; the socket path budget is computed from this length.</summary>
    public const int MachineIdLength = 12;

    public static LocalMachine For(string root, string machineId) =>
        new(Path.Combine(root, "machines", machineId), Path.Combine(root, "workspaces", machineId));

    public string SocketPath => Path.Combine(StateDir, "agent.sock");

    public string ExitStatusPath => Path.Combine(StateDir, "exit.json");

    public string OutputLogPath => Path.Combine(StateDir, "output.log");

    public string AgentLogPath => Path.Combine(StateDir, "agent.log");

    /// <summary>The longest socket path any machine under <paramref name="root"/> will have, in bytes.</summary>
    public static int LongestSocketPathBytes(string root) =>
        System.Text.Encoding.UTF8.GetByteCount(For(root, new string('0', MachineIdLength)).SocketPath);
}
