using System.Globalization;
using System.Net;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Server.Blobs;
using Catty.Server.Snapshots;
using Catty.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Workspaces;

/// <summary>Snapshots after the first: the agent sends what changed and the store keeps it as a change against a keyframe.</summary>
public sealed class SnapshotChangeTests
{
    private static readonly Action<ServerSetup> NoSchedule = s => s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";

    [Fact]
    public async Task A_changed_snapshot_stores_only_what_changed_and_both_snapshots_download_whole()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        var entries = Enumerable.Range(0, 20).Select(i => ($"src/f{i:D2}.txt", (byte[]?)WorkspaceZip.Text($"file {i}"), 0x1A4)).ToList();
        entries.AddRange(
        [
            ("edit.txt", WorkspaceZip.Text("old"), 0x1A4),
            ("gone.txt", WorkspaceZip.Text("gone"), 0x1A4),
            ("old-name.txt", WorkspaceZip.Text("moved"), 0x1A4),
            ("run.sh", WorkspaceZip.Text("#!/bin/sh\n"), 0x1A4),
            ("was-file", WorkspaceZip.Text("x"), 0x1A4),
        ]);
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build([.. entries]));
        var workspace = SnapshotTests.WorkspaceOf(server, session);
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));
        var before = DownloadTests.Describe(workspace);
        var fetched = service.BlobsFetched;

        await File.WriteAllTextAsync(Path.Combine(workspace, "edit.txt"), "new content");
        File.Delete(Path.Combine(workspace, "gone.txt"));
        File.Move(Path.Combine(workspace, "old-name.txt"), Path.Combine(workspace, "src", "new-name.txt"));
        File.SetUnixFileMode(Path.Combine(workspace, "run.sh"), (UnixFileMode)0x1ED);
        File.Delete(Path.Combine(workspace, "was-file"));
        Directory.CreateDirectory(Path.Combine(workspace, "was-file"));
        await File.WriteAllTextAsync(Path.Combine(workspace, "was-file", "inside.txt"), "inside");
        File.CreateSymbolicLink(Path.Combine(workspace, "link"), "src/f00.txt");
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));

        var rows = await SnapshotTests.SnapshotsOfAsync(server, session.SessionId);
        var keyframe = await StoredAsync(server, session.SessionId, 1);
        var change = await StoredAsync(server, session.SessionId, 2);
        Assert.Null(keyframe.Base);
        Assert.Equal(rows[0].Digest, keyframe.Digest);
        Assert.Equal(new StoredManifestBase(1, rows[0].Digest), change.Base);
        Assert.Equal(rows[1].Digest, change.Digest);
        Assert.Equal(["edit.txt", "link", "run.sh", "src/new-name.txt", "was-file", "was-file/inside.txt"], change.Entries.Select(e => e.Path));
        Assert.Equal(["gone.txt", "old-name.txt"], change.Removed);
        Assert.Equal(fetched + 2, service.BlobsFetched); // "new content" and "inside"; the renamed content is known
        Assert.Equal(FilesIn(workspace), (rows[1].FileCount, rows[1].TotalBytes));

        using var newest = new TestDataDir();
        using var older = new TestDataDir();
        await DownloadTests.ExtractAsync(await server.Client.GetDownloadAsync(session.Label), newest.Path);
        await DownloadTests.ExtractAsync(await server.Client.GetDownloadAsync(session.Label, rows[0].Id), older.Path);
        Assert.Equal(DownloadTests.Describe(workspace), DownloadTests.Describe(newest.Path));
        Assert.Equal(before, DownloadTests.Describe(older.Path));
    }

    [Fact]
    public async Task Changes_build_on_one_keyframe_until_a_new_one_pays_and_pruning_keeps_what_kept_snapshots_need()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            NoSchedule(s);
            s.Settings["Catty:Snapshots:History"] = "3";
        });
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build([.. Enumerable.Range(0, 8).Select(i => ($"f{i}", (byte[]?)WorkspaceZip.Text("v0"), 0x1A4))]));
        var workspace = SnapshotTests.WorkspaceOf(server, session);
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        // Per snapshot: the keyframe its object is a change against (null: it is one), and the objects left after pruning.
        (int? Base, int[] Objects)[] steps =
        [
            (null, [1]),
            (1, [1, 2]),
            (1, [1, 2, 3]),
            (1, [1, 2, 3, 4]), // three of eight entries changed since the keyframe: the next one starts anew
            (null, [1, 3, 4, 5]), // snapshot 3 is kept and needs keyframe 1
            (5, [1, 4, 5, 6]),
            (5, [5, 6, 7]), // the oldest kept is a keyframe: nothing older is needed
        ];
        var expected = new Dictionary<int, Dictionary<string, string>>();
        for (var seq = 1; seq <= steps.Length; seq++)
        {
            if (seq > 1)
            {
                await File.WriteAllTextAsync(Path.Combine(workspace, $"f{seq - 1}"), $"v{seq - 1}, changed");
            }

            Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));
            expected[seq] = Enumerable.Range(0, 8).ToDictionary(i => $"f{i}", i => File.ReadAllText(Path.Combine(workspace, $"f{i}")));

            Assert.Equal(steps[seq - 1].Base, (await StoredAsync(server, session.SessionId, seq)).Base?.Seq);
            Assert.Equal(steps[seq - 1].Objects, await ObjectSeqsAsync(server, session.SessionId));
            foreach (var row in await SnapshotTests.SnapshotsOfAsync(server, session.SessionId))
            {
                Assert.Equal(expected[row.Seq], await SnapshotTests.ReadSnapshotAsync(server, row));
            }
        }

        Assert.Equal([5, 6, 7], (await SnapshotTests.SnapshotsOfAsync(server, session.SessionId)).Select(r => r.Seq));
    }

    [Fact]
    public async Task After_a_restart_the_next_changed_snapshot_is_a_keyframe_and_nothing_is_lost()
    {
        using var data = new TestDataDir();
        void Setup(ServerSetup s)
        {
            s.DataDir = data;
            NoSchedule(s);
        }

        var first = await CattyTestServer.StartAsync(Setup);
        var session = await first.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a1"), 0x1A4), ("b.txt", WorkspaceZip.Text("b1"), 0x1A4)));
        var workspace = SnapshotTests.WorkspaceOf(first, session);
        var service = first.App.Services.GetRequiredService<SnapshotService>();
        await service.TakeAsync(session.SessionId, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(workspace, "a.txt"), "a2");
        await service.TakeAsync(session.SessionId, CancellationToken.None);
        await first.DisposeAsync();

        await using var second = await CattyTestServer.StartAsync(Setup);
        service = second.App.Services.GetRequiredService<SnapshotService>();
        await File.WriteAllTextAsync(Path.Combine(workspace, "b.txt"), "b3");
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));
        await File.WriteAllTextAsync(Path.Combine(workspace, "a.txt"), "a4");
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));

        var rows = await SnapshotTests.SnapshotsOfAsync(second, session.SessionId);
        Assert.Equal([null, 1, null, 3], await Task.WhenAll(rows.Select(async r => (await StoredAsync(second, session.SessionId, r.Seq)).Base?.Seq)));
        Assert.Equal(
            ["a1 b1", "a2 b1", "a2 b3", "a4 b3"],
            await Task.WhenAll(rows.Select(async r => string.Join(' ', (await SnapshotTests.ReadSnapshotAsync(second, r)).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value)))));
        await second.Client.StopSessionAsync(session.Label);
        await second.WaitForEndAsync(session.SessionId, "the stop");
    }

    [Fact]
    public async Task A_content_that_changes_between_the_manifest_and_its_fetch_waits_for_the_next_snapshot()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("aaaa"), 0x1A4), ("b.txt", WorkspaceZip.Text("bbbb"), 0x1A4), ("c.txt", WorkspaceZip.Text("cccc"), 0x1A4)));
        var workspace = SnapshotTests.WorkspaceOf(server, session);
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        service.AfterManifest = () => File.WriteAllTextAsync(Path.Combine(workspace, "b.txt"), "BBBB");

        Assert.Equal(SnapshotOutcome.Incomplete, await service.TakeAsync(session.SessionId, CancellationToken.None));
        service.AfterManifest = null;
        var known = await server.WithDbAsync(db => StoredBlobRows.KnownAsync(db, [Sha("aaaa"), Sha("bbbb"), Sha("cccc"), Sha("BBBB")], CancellationToken.None));
        Assert.Equal([Sha("aaaa"), Sha("cccc")], known.Order(StringComparer.Ordinal));
        Assert.Empty(await SnapshotTests.SnapshotsOfAsync(server, session.SessionId));

        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(session.SessionId, CancellationToken.None));
        var row = Assert.Single(await SnapshotTests.SnapshotsOfAsync(server, session.SessionId));
        Assert.Equal("BBBB", (await SnapshotTests.ReadSnapshotAsync(server, row))["b.txt"]);
    }

    [Fact]
    public async Task A_stored_change_that_does_not_rebuild_its_snapshot_is_not_served()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4), ("b.txt", WorkspaceZip.Text("b"), 0x1A4)));
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        await service.TakeAsync(session.SessionId, CancellationToken.None);
        File.Delete(Path.Combine(SnapshotTests.WorkspaceOf(server, session), "b.txt"));
        await service.TakeAsync(session.SessionId, CancellationToken.None);
        var change = await StoredAsync(server, session.SessionId, 2);
        Assert.Equal(["b.txt"], change.Removed);

        var manifests = server.App.Services.GetRequiredService<SnapshotManifests>();
        await manifests.WriteUnflushedAsync(session.SessionId, 2, change with { Removed = [] }, CancellationToken.None);

        var broken = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.GetDownloadAsync(session.Label));
        Assert.Equal((HttpStatusCode.NotFound, "no_snapshot"), (broken.Status, broken.Error));
    }

    [Theory]
    [InlineData("a change against a base that was not asked for")]
    [InlineData("paths out of order")]
    [InlineData("removed paths out of order")]
    public async Task An_agent_answer_that_does_not_fit_what_was_asked_stores_nothing(string wrong)
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.txt", WorkspaceZip.Text("a"), 0x1A4)));
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        await service.TakeAsync(session.SessionId, CancellationToken.None);
        var keyframe = Assert.Single(await SnapshotTests.SnapshotsOfAsync(server, session.SessionId)).Digest;
        ManifestEntryDto File(string path) => new(path, ManifestKinds.File, 0x1A4, 1, Sha("a"));
        var answer = wrong switch
        {
            "a change against a base that was not asked for" => new WorkspaceManifestDto([File("b.txt")], Sha("other"), Sha("some base"), []),
            "paths out of order" => new WorkspaceManifestDto([File("b.txt"), File("a.txt")], Sha("other")),
            _ => new WorkspaceManifestDto([File("c.txt")], Sha("other"), keyframe, ["b.txt", "a.txt"]),
        };
        await using var peer = ScriptedAgent.Start("application/json", JsonSerializer.SerializeToUtf8Bytes(answer, CattyJson.Default.WorkspaceManifestDto));
        var real = await SetAgentEndpointAsync(server, session.SessionId, peer.Endpoint);

        Assert.Equal(SnapshotOutcome.Unavailable, await service.TakeAsync(session.SessionId, CancellationToken.None));
        Assert.StartsWith($"GET /snapshot/manifest?base={keyframe}&have={keyframe} ", await peer.RequestAsync, StringComparison.Ordinal);
        Assert.Single(await SnapshotTests.SnapshotsOfAsync(server, session.SessionId));
        Assert.Contains("answered a manifest out of order or against a base that was not asked for", server.Logs.AllText, StringComparison.Ordinal);
        await SetAgentEndpointAsync(server, session.SessionId, real);
        Assert.Equal(SnapshotOutcome.Unchanged, await service.TakeAsync(session.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task Stored_blob_rows_are_added_in_bulk_and_a_row_added_twice_is_no_error()
    {
        await using var server = await CattyTestServer.StartAsync(NoSchedule);
        var hashes = Enumerable.Range(0, 1_800).Select(i => Sha(i.ToString(CultureInfo.InvariantCulture))).ToList();
        var now = DateTimeOffset.UtcNow;

        await server.WithDbAsync(async db =>
        {
            await StoredBlobRows.AddAsync(db, hashes[..1_200], now, CancellationToken.None);
            await StoredBlobRows.AddAsync(db, hashes[600..], now, CancellationToken.None);
            return 0;
        });
        var asked = hashes.Concat(Enumerable.Range(0, 200).Select(i => Sha("absent " + i))).ToList();
        var known = await server.WithDbAsync(db => StoredBlobRows.KnownAsync(db, asked, CancellationToken.None));

        Assert.Equal(hashes.Order(StringComparer.Ordinal), known.Order(StringComparer.Ordinal));
        Assert.Equal(1_800, await server.WithDbAsync(db => Task.FromResult(db.StoredBlobs.Count())));
    }

    private static Task<string> SetAgentEndpointAsync(CattyTestServer server, Guid sessionId, string endpoint) =>
        server.WithDbAsync(async db =>
        {
            var session = await db.Sessions.SingleAsync(s => s.Id == sessionId);
            var previous = session.AgentEndpoint!;
            session.AgentEndpoint = endpoint;
            await db.SaveChangesAsync();
            return previous;
        });

    internal static async Task<StoredManifest> StoredAsync(CattyTestServer server, Guid sessionId, int seq)
    {
        var stored = await server.App.Services.GetRequiredService<SnapshotManifests>().ReadAsync(sessionId, seq, CancellationToken.None);
        Assert.NotNull(stored);
        return stored;
    }

    private static async Task<List<int>> ObjectSeqsAsync(CattyTestServer server, Guid sessionId)
    {
        var prefix = SnapshotKeys.ManifestsOf(sessionId);
        var seqs = new List<int>();
        await foreach (var key in server.App.Services.GetRequiredService<IBlobStore>().ListAsync(prefix, CancellationToken.None))
        {
            seqs.Add(int.Parse(key[prefix.Length..^".json".Length], CultureInfo.InvariantCulture));
        }

        seqs.Sort();
        return seqs;
    }

    private static (int Files, long Bytes) FilesIn(string root)
    {
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => new FileInfo(f)).Where(f => f.LinkTarget is null).ToList();
        return (files.Count, files.Sum(f => f.Length));
    }

    private static string Sha(string content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
}
