using Catty.Server.Storage;

namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Where one local machine keeps its things: <c>&lt;data&gt;/machines/&lt;id&gt;/</c> (agent socket, agent.json,
/// agent.log, exit.json, output.log) and <c>&lt;data&gt;/workspaces/&lt;id&gt;/</c>.
/// </summary>
internal sealed record LocalMachine(string StateDir, string Workspace)
{
    /// <summary>Unix socket paths must fit in sockaddr_un.sun_path (108 bytes with the terminating NUL).</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>Machine ids are 12 hex digits; the socket path budget is computed from this length.</summary>
    public const int MachineIdLength = 12;

    public static LocalMachine For(DataDirectory data, string machineId) =>
        new(Path.Combine(data.MachinesDir, machineId), Path.Combine(data.WorkspacesDir, machineId));

    public string SocketPath => Path.Combine(StateDir, "agent.sock");

    public string ExitStatusPath => Path.Combine(StateDir, "exit.json");

    public string OutputLogPath => Path.Combine(StateDir, "output.log");

    public string AgentLogPath => Path.Combine(StateDir, "agent.log");

    /// <summary>The longest socket path any machine of <paramref name="data"/> will have, in bytes.</summary>
    public static int LongestSocketPathBytes(DataDirectory data) =>
        System.Text.Encoding.UTF8.GetByteCount(For(data, new string('0', MachineIdLength)).SocketPath);
}
