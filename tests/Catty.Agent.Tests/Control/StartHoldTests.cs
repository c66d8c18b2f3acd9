using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Control;

/// <summary>
/// A held program starts only once the workspace upload has arrived (so it sees the user's files from its
/// first moment), a client connects, the hold elapses, or the session stops.
/// </summary>
public sealed class StartHoldTests
{
    private static readonly string[] ListThenWait = ["sh", "-c", "echo \"files: $(ls -A | tr '\\n' ' ')\"; exec sleep 600"];

    [Fact]
    public async Task The_program_waits_for_the_upload_and_finds_the_uploaded_files_when_it_starts()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ListThenWait, StartHoldMs = 600_000, Sandbox = "bwrap" });
        Assert.Equal((0, "running"), ((await agent.GetStatusAsync()).Pid, (await agent.GetStatusAsync()).State));

        using var upload = await agent.Http.PostAsync("upload", Zip(("from-the-user.txt", "hi"), ("src/main.py", "print()")));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        await Poll.UntilAsync(() => agent.GetStatusAsync().Result.Pid > 0, "the program to start after the upload");
        await using var client = await agent.ConnectAsync();

        await client.ReadUntilAsync("files: from-the-user.txt src");
        Assert.Contains("starting the program: the workspace upload arrived", agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_connects_first_starts_the_program_and_sees_its_first_output()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ListThenWait, StartHoldMs = 600_000 });
        Assert.Equal(0, (await agent.GetStatusAsync()).Pid);

        await using var client = await agent.ConnectAsync();

        await client.NextControlAsync<ReadyMessage>();
        await client.ReadUntilAsync("files: ");
        Assert.True((await agent.GetStatusAsync()).Pid > 0);
        Assert.Contains("starting the program: a client connected", agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_upload_or_client_the_program_starts_when_the_hold_elapses()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ListThenWait, StartHoldMs = 300 });

        await Poll.UntilAsync(() => agent.GetStatusAsync().Result.Pid > 0, "the program to start after the hold");

        Assert.Contains("nothing was uploaded and no client connected within 0.3 s", agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_a_session_whose_program_is_held_ends_it_with_an_exit_record()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ListThenWait, StartHoldMs = 600_000 });

        var status = await agent.StopAsync(graceMs: 2000);

        Assert.Equal("exited", status.State);
        await agent.WaitForAgentExitAsync();
        Assert.True(File.Exists(Path.Combine(agent.StateDir, "exit.json")));
    }

    private static ByteArrayContent Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        var body = new ByteArrayContent(buffer.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return body;
    }
}
