using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;
using Catty.Server.Tests.Workspaces;

namespace Catty.Server.Tests.Accounts;

/// <summary>Two people on one server: each sees only their own sessions; the owner's admin view sees both.</summary>
public sealed class CrossUserTests
{
    [Fact]
    public async Task Every_session_endpoint_answers_404_for_another_users_session()
    {
        await using var server = await CattyTestServer.StartAsync();
        var ownerSession = await server.CreateShellAsync();
        var memberToken = await server.CreateWithTokenAsync("member@example.com");
        var member = server.NewClient(memberToken);
        var memberSession = await member.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));

        foreach (var name in new[] { ownerSession.Label, ownerSession.SessionId.ToString() })
        {
            await AssertNotFound(() => member.GetSessionAsync(name));
            await AssertNotFound(() => member.GetSessionAsync(name, live: true));
            await AssertNotFound(() => member.StopSessionAsync(name));
            await AssertNotFound(() => member.GetLogsAsync(name));
            await AssertNotFound(() => member.ListSnapshotsAsync(name));
            await AssertNotFound(() => member.TakeSnapshotAsync(name));
            await AssertNotFound(() => member.GetDownloadAsync(name));
            await AssertNotFound(() => member.CreateTicketAsync(name));
        }

        var bearer = new Dictionary<string, string> { ["Authorization"] = "Bearer " + memberToken };
        var (socket, status) = await TerminalClient.TryConnectAsync(ownerSession.ConnectUrl, bearer);
        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.NotFound, status);
        var upload = await WorkspaceZip.PostAsync(ownerSession, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4)), memberToken);
        Assert.Equal(404, upload.Status);
        Assert.Contains("\"not_found\"", upload.Body, StringComparison.Ordinal);

        Assert.Equal([memberSession.SessionId], (await member.ListSessionsAsync()).Select(s => s.SessionId));
        Assert.Equal("running", (await server.Client.GetSessionAsync(ownerSession.Label)).Status);

        // The same credential opens its own session's terminal: the 404 above is about whose session it is.
        await using var own = await TerminalClient.ConnectAsync(memberSession.ConnectUrl, bearer);
        await own.SendAsync("echo mine-$((3*3))\r");
        await own.ReadUntilAsync("mine-9");
    }

    [Fact]
    public async Task The_owners_admin_view_lists_everyones_sessions_and_members_may_not_use_it()
    {
        await using var server = await CattyTestServer.StartAsync();
        var ownerSession = await server.CreateShellAsync();
        var member = server.NewClient(await server.CreateWithTokenAsync("member@example.com"));
        var memberSession = await member.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));

        var all = await server.Client.ListAllSessionsAsync();
        var refused = await Assert.ThrowsAsync<CattyApiException>(() => member.ListAllSessionsAsync());

        Assert.Contains(all, s => s.SessionId == ownerSession.SessionId && s.Owner.Email == "owner@localhost" && s.Status == "running");
        Assert.Contains(all, s => s.SessionId == memberSession.SessionId && s.Owner.Email == "member@example.com" && s.Label == memberSession.Label);
        Assert.Equal((HttpStatusCode.Forbidden, "owner_only"), (refused.Status, refused.Error));
        Assert.Single(await server.Client.ListSessionsAsync());
    }

    private static async Task AssertNotFound(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<CattyApiException>(call);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (refused.Status, refused.Error));
    }
}
