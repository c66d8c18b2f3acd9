using System.IO.Compression;
using System.Security.Cryptography;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Server.Blobs;
using Catty.Server.Snapshots;
using Catty.Server.Storage;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Workspaces;

public sealed class SnapshotTests
{
    [Fact]
    public async Task First_snapshot_after_the_delay_then_one_per_interval_only_when_the_workspace_changed()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.FakeClock = true;
            s.Settings["Catty:Snapshots:Tick"] = "00:00:01";
        });
        var session = await server.CreateShellAsync();
        Assert.Equal(200, (await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4), ("b.txt", WorkspaceZip.Text("b"), 0x1A4)))).Status);
        var service = server.App.Services.GetRequiredService<SnapshotService>();

        await AdvanceSnapshotTickAsync(server, TimeSpan.FromSeconds(5));
        Assert.Empty(await SnapshotsOfAsync(server, session.SessionId));

        await AdvanceSnapshotTickAsync(server, TimeSpan.FromSeconds(6));
        var first = Assert.Single(await SnapshotsOfAsync(server, session.SessionId));
        Assert.Equal(2, first.FileCount);
        var fetched = service.BlobsFetched;

        await AdvanceSnapshotTickAsync(server, TimeSpan.FromSeconds(31));
        Assert.Single(await SnapshotsOfAsync(server, session.SessionId));
        Assert.Equal(fetched, service.BlobsFetched);

        await File.WriteAllTextAsync(Path.Combine(WorkspaceOf(server, session), "c.txt"), "new");
        await AdvanceSnapshotTickAsync(server, TimeSpan.FromSeconds(31));
        var all = await SnapshotsOfAsync(server, session.SessionId);
        Assert.Equal([1, 2], all.Select(s => s.Seq));
        Assert.Equal(3, all[1].FileCount);
        Assert.Equal(fetched + 1, service.BlobsFetched);
    }

    [Fact]
    public async Task A_user_stop_takes_a_final_snapshot_before_the_machine_goes()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00");
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("kept.txt", WorkspaceZip.Text("kept"), 0x1A4)));

        await server.Client.StopSessionAsync(session.Label);
        await server.WaitForEndAsync(session.SessionId, "the stop");

        var snapshot = Assert.Single(await SnapshotsOfAsync(server, session.SessionId));
        var files = await ReadSnapshotAsync(server, snapshot);
        Assert.Equal("kept", files["kept.txt"]);
    }

    [Fact]
    public async Task A_program_that_exits_leaves_a_final_snapshot_with_what_it_wrote()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00");
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        await terminal.SendAsync("printf 'made-%s' 42 > made.txt; exit\r");
        await server.WaitForEndAsync(session.SessionId, "the program's exit");

        var snapshot = Assert.Single(await SnapshotsOfAsync(server, session.SessionId));
        Assert.Equal("made-42", (await ReadSnapshotAsync(server, snapshot))["made.txt"]);
    }

    [Fact]
    public async Task An_attempt_that_dies_midway_leaves_the_previous_snapshot_whole_and_the_next_completes()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00");
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("one.txt", WorkspaceZip.Text("1"), 0x1A4), ("two.txt", WorkspaceZip.Text("2"), 0x1A4)));
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));
        var workspace = WorkspaceOf(server, session);
        for (var i = 0; i < 5; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(workspace, $"more{i}.txt"), $"more {i}");
        }

        service.AfterBlobStored = n => throw new InvalidOperationException($"killed after {n} blobs");
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.TakeAsync(session.SessionId, CancellationToken.None));
        service.AfterBlobStored = null;

        var previous = Assert.Single(await SnapshotsOfAsync(server, session.SessionId));
        var files = await ReadSnapshotAsync(server, previous);
        Assert.Equal(["one.txt", "two.txt"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));
        var newest = (await SnapshotsOfAsync(server, session.SessionId))[^1];
        Assert.Equal(7, (await ReadSnapshotAsync(server, newest)).Count);
        Assert.Equal(SnapshotOutcome.Unchanged, await service.TakeAsync(session.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task A_graceful_server_shutdown_snapshots_running_sessions_which_keep_running()
    {
        using var data = new TestDataDir();
        var first = await CattyTestServer.StartAsync(s =>
        {
            s.DataDir = data;
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
        });
        var session = await first.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("saved.txt", WorkspaceZip.Text("saved"), 0x1A4)));

        await first.DisposeAsync();

        Assert.True(data.AgentAlive(session.MachineId));
        await using var second = await CattyTestServer.StartAsync(s =>
        {
            s.DataDir = data;
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
        });
        var snapshot = Assert.Single(await SnapshotsOfAsync(second, session.SessionId));
        Assert.Equal("saved", (await ReadSnapshotAsync(second, snapshot))["saved.txt"]);
        await second.Client.StopSessionAsync(session.Label);
        await second.WaitForEndAsync(session.SessionId, "the stop");
    }

    internal static string WorkspaceOf(CattyTestServer server, CreateSessionResponse session) =>
        Path.Combine(server.DataDir.Path, "workspaces", session.MachineId);

    internal static async Task AdvanceSnapshotTickAsync(CattyTestServer server, TimeSpan by)
    {
        var tick = server.App.Services.GetRequiredService<SnapshotScheduler>().NextTickAsync();
        server.Clock!.Advance(by);
        await tick.Within("a snapshot tick");
    }

    internal static Task<List<SnapshotRecord>> SnapshotsOfAsync(CattyTestServer server, Guid sessionId) =>
        server.WithDbAsync(db => db.Snapshots.AsNoTracking().Where(s => s.SessionId == sessionId).OrderBy(s => s.Seq).ToListAsync());

    /// <summary>Every file of a stored snapshot, read back from the blob store and checked against its hash.</summary>
    internal static async Task<Dictionary<string, string>> ReadSnapshotAsync(CattyTestServer server, SnapshotRecord snapshot)
    {
        var store = server.App.Services.GetRequiredService<IBlobStore>();
        var manifest = await server.App.Services.GetRequiredService<SnapshotManifests>().ReadWholeAsync(snapshot.SessionId, snapshot.Seq, snapshot.Digest, CancellationToken.None);
        Assert.NotNull(manifest);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Where(e => e.Kind == ManifestKinds.File))
        {
            await using var blob = await store.OpenReadAsync(SnapshotKeys.Blob(entry.Sha256!), CancellationToken.None);
            Assert.NotNull(blob);
            await using var gzip = new GZipStream(blob!, CompressionMode.Decompress);
            var content = new MemoryStream();
            await gzip.CopyToAsync(content);
            Assert.Equal(entry.Sha256, Convert.ToHexStringLower(SHA256.HashData(content.ToArray())));
            files[entry.Path] = System.Text.Encoding.UTF8.GetString(content.ToArray());
        }

        return files;
    }
}
