using System.Buffers;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Hosting;

/// <summary>
/// The files through which the server finds an agent and learns how it ended, all in the state dir:
/// <c>agent.json</c> ({"pid", "listen"}) while listening, <c>exit.json</c> (AgentStatus) and
/// <c>output.log</c> (the logs ring) once it is gone, and <c>agent.log</c>.
/// </summary>
internal sealed class StateFiles(string stateDir)
{
    public string Directory { get; } = stateDir;

    public string AgentJson => Path.Combine(Directory, "agent.json");

    public string ExitJson => Path.Combine(Directory, "exit.json");

    public string OutputLog => Path.Combine(Directory, "output.log");

    public string AgentLog => Path.Combine(Directory, "agent.log");

    /// <summary>Creates the state dir (0700) when the server did not, and clears what a previous agent left.</summary>
    public void Prepare()
    {
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var stale in new[] { AgentJson, ExitJson, OutputLog })
            File.Delete(stale);
    }

    public void WriteAgentJson(int pid, string listen)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("pid", pid);
            json.WriteString("listen", listen);
            json.WriteEndObject();
        }
        AtomicFileWriter.Write(AgentJson, buffer.WrittenSpan);
    }

    public void WriteExit(AgentStatus status, ReadOnlySpan<byte> output)
    {
        AtomicFileWriter.Write(OutputLog, output);
        AtomicFileWriter.Write(ExitJson, JsonSerializer.SerializeToUtf8Bytes(status, CattyJson.Default.AgentStatus));
    }

    public void RemoveAgentJson() => File.Delete(AgentJson);
}
