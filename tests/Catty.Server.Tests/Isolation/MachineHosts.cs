using Catty.Server.Runtimes.Local;

namespace Catty.Server.Tests.Isolation;

internal static class MachineHosts
{
    /// <summary>The host record of a machine (uid and cgroup) as the server wrote it; null once the machine is destroyed.</summary>
    public static MachineHost? HostOf(this TestDataDir data, string machineId)
    {
        var path = data.HostRecordOf(machineId);
        return File.Exists(path)
            ? System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(path), MachineHostJson.Default.MachineHost)
            : null;
    }
}
