using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Workspaces;

/// <summary>The uploaded workspace is in place before the session's program starts: the program sees it at once.</summary>
public sealed class UploadBeforeStartTests
{
    [Fact]
    public async Task A_program_that_lists_its_workspace_when_it_starts_lists_the_uploaded_files()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Agents:Available:lister:Command:0"] = "sh";
            s.Settings["Catty:Agents:Available:lister:Command:1"] = "-c";
            s.Settings["Catty:Agents:Available:lister:Command:2"] = "echo \"files: $(ls -A | tr '\\n' ' ')\"; exec sleep 600";
        });

        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "lister"));
        Assert.Equal(200, (await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(
            ("README.md", WorkspaceZip.Text("# project\n"), 0x1A4), ("src/app.py", WorkspaceZip.Text("print()\n"), 0x1A4)))).Status);
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        await terminal.ReadUntilAsync("files: README.md src ");
    }
}
