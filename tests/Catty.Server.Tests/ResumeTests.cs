using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Tests;

/// <summary><c>POST /v1/sessions/{id}/resume</c>: a stopped session starts again in a new machine with its files and its commits.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task A_stopped_session_resumes_in_a_new_machine_with_its_files_and_git_commits()
    {
        await using var server = await CattyTestServer.StartAsync();
        var old = await server.CreateShellAsync();
        await using (var terminal = await TerminalClient.ConnectAsync(old.ConnectUrl, old.Headers))
        {
            await terminal.SendAsync("mkdir -p src && echo kept > src/a.txt && chmod +x src/a.txt && git init -q && git add . "
                + "&& git -c user.email=t@example.com -c user.name=t commit -qm first-commit && echo made-$((6*7))\r");
            await terminal.ReadUntilAsync("made-42");
        }

        var running = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ResumeSessionAsync(old.Label));
        Assert.Equal((HttpStatusCode.Conflict, "session_running"), (running.Status, running.Error));
        await server.Client.StopSessionAsync(old.Label);

        var resumed = await server.Client.ResumeSessionAsync(old.Label);

        Assert.Equal(old.SessionId, resumed.ResumedFrom);
        Assert.NotEqual(old.Label, resumed.Label);
        Assert.Equal(SessionStatus.Running, resumed.Status);
        Assert.Equal(old.SessionId, (await server.Client.GetSessionAsync(resumed.Label)).ResumedFrom);
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + resumed.ConnectToken };
        await using (var terminal = await TerminalClient.ConnectAsync(resumed.ConnectUrl, headers))
        {
            await terminal.SendAsync("cat src/a.txt; test -x src/a.txt && echo exec-kept; git log --format=%s; echo end-$((6*7))\r");
            var screen = await terminal.ReadUntilAsync("end-42");
            Assert.Contains("kept", screen, StringComparison.Ordinal);
            Assert.Contains("exec-kept", screen, StringComparison.Ordinal);
            Assert.Contains("first-commit", screen, StringComparison.Ordinal);
        }

        await server.Client.StopSessionAsync(resumed.Label);
    }

    [Fact]
    public async Task Resume_without_a_snapshot_or_of_an_unknown_session_says_why()
    {
        await using var server = await CattyTestServer.StartAsync();
        var old = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(old.Label);
        await server.WithDbAsync(db => db.Snapshots.Where(s => s.SessionId == old.SessionId).ExecuteDeleteAsync());

        var none = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ResumeSessionAsync(old.Label));
        var unknown = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.ResumeSessionAsync("no-such-label-0000"));

        Assert.Equal((HttpStatusCode.Conflict, "no_snapshot"), (none.Status, none.Error));
        Assert.Equal($"Session {old.Label} has no saved workspace to resume from: it stopped before its first snapshot.", none.ApiMessage);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Single(await server.Client.ListSessionsAsync());
    }
}
