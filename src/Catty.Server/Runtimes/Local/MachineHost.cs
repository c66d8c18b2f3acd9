using System.Text.Json;
using System.Text.Json.Serialization;
using Catty.Server.Runtimes.Local.Cgroups;

namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Who runs a local machine on the host and in which cgroup: kept in <c>machines/&lt;id&gt;.host.json</c> (root's,
/// 0600, beside the state dir the session's uid owns), so a restarted server finds the uid still in use and the
/// cgroup to empty and remove.
/// </summary>
/// <param name="Uid">The host uid the agent (and the sandbox's root) runs as.</param>
/// <param name="Gid">Its group; the same number as the uid for a session uid.</param>
/// <param name="Cgroup">The session's cgroup, or null when cgroups were not available.</param>
internal sealed record MachineHost(int Uid, int Gid, SessionCgroup? Cgroup);

[JsonSerializable(typeof(MachineHost))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class MachineHostJson : JsonSerializerContext;
