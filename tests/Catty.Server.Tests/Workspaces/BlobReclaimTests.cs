using Catty.Sdk.Api;
using Catty.Server.Blobs;
using Catty.Server.Snapshots;
using Catty.Server.Tests.Blobs;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Workspaces;

/// <summary>
/// Blobs no snapshot refers to any more are reclaimed, on the folder store and on S3 (s3rver): deleted
/// sessions give back everything they alone held, and content another session still uses survives.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BlobReclaimTests(S3rverFixture s3rver)
{
    [Fact]
    public Task Deleting_sessions_on_the_folder_store_gives_the_store_back_its_size_and_keeps_shared_blobs() =>
        DeleteAndReclaimAsync(_ => { });

    [Fact]
    public Task Deleting_sessions_on_S3_gives_the_store_back_its_size_and_keeps_shared_blobs() =>
        DeleteAndReclaimAsync(s =>
        {
            s.Settings["Catty:Blobs:Provider"] = "s3";
            s.Settings["Catty:Blobs:Bucket"] = S3rverFixture.NewBucketName();
            s.Settings["Catty:Blobs:Prefix"] = "catty";
            s.Settings["Catty:Blobs:ServiceUrl"] = s3rver.ServiceUrl.ToString();
            s.Settings["Catty:Blobs:ForcePathStyle"] = "true";
            s.Settings["Catty:Blobs:AccessKey"] = S3rverFixture.AccessKey;
            s.Settings["Catty:Blobs:SecretKey"] = S3rverFixture.SecretKey;
            s.Settings["Catty:Blobs:CreateBucket"] = "true";
        });

    [Fact]
    public async Task A_blob_within_its_grace_period_is_kept_even_when_nothing_names_it()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            NoSchedules(s);
            s.Settings["Catty:Storage:ReclaimGrace"] = "01:00:00";
        });
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("recent.txt", WorkspaceZip.Text("stored a moment ago"), 0x1A4)));
        await Snapshot(server, session);
        await server.Client.StopSessionAsync(session.Label, delete: true);

        var result = await server.App.Services.GetRequiredService<BlobReclaimer>().ReclaimAsync(CancellationToken.None);

        Assert.Equal(0, result.Blobs);
        Assert.Contains(await KeysAsync(server), k => k.StartsWith("blobs/", StringComparison.Ordinal));
    }

    private static async Task DeleteAndReclaimAsync(Action<ServerSetup> store)
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            NoSchedules(s);
            store(s);
        });
        var before = await SizeAsync(server);
        var shared = new byte[200_000];
        new Random(3).NextBytes(shared);
        var onlyFirst = new byte[300_000];
        new Random(4).NextBytes(onlyFirst);

        var first = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(first, WorkspaceZip.Build(("shared.bin", shared, 0x1A4), ("mine.bin", onlyFirst, 0x1A4)));
        await Snapshot(server, first);
        await File.WriteAllTextAsync(Path.Combine(SnapshotTests.WorkspaceOf(server, first), "second.txt"), "a second snapshot");
        await Snapshot(server, first);
        await server.Client.GetDownloadAsync(first.Label);
        var second = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(second, WorkspaceZip.Build(("copy-of-shared.bin", shared, 0x1A4)));
        await Snapshot(server, second);
        Assert.True(await SizeAsync(server) > before + shared.Length + onlyFirst.Length);

        await server.Client.StopSessionAsync(first.Label, delete: true);
        var reclaimer = server.App.Services.GetRequiredService<BlobReclaimer>();
        var firstResult = await reclaimer.ReclaimAsync(CancellationToken.None);

        // The second session's snapshot still downloads whole, the shared content with it.
        using (var extracted = new TestDataDir())
        {
            await DownloadTests.ExtractAsync(await server.Client.GetDownloadAsync(second.Label), extracted.Path);
            Assert.Equal(shared, await File.ReadAllBytesAsync(Path.Combine(extracted.Path, "copy-of-shared.bin")));
        }

        Assert.True(firstResult.Blobs >= 2, $"reclaimed {firstResult}");
        Assert.True(firstResult.Manifests >= 2, $"reclaimed {firstResult}");
        Assert.True(firstResult.Downloads >= 1, $"reclaimed {firstResult}");
        Assert.DoesNotContain(await KeysAsync(server), k => k.Contains(first.SessionId.ToString("D"), StringComparison.Ordinal));

        await server.Client.StopSessionAsync(second.Label, delete: true);
        await reclaimer.ReclaimAsync(CancellationToken.None);

        Assert.Equal(before, await SizeAsync(server));
        Assert.Empty(await server.WithDbAsync(db => Task.FromResult(db.StoredBlobs.ToList())));
    }

    private static void NoSchedules(ServerSetup setup)
    {
        setup.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
        setup.Settings["Catty:Storage:ReclaimInterval"] = "1.00:00:00";
        setup.Settings["Catty:Storage:ReclaimGrace"] = "00:00:00";
    }

    private static async Task Snapshot(CattyTestServer server, CreateSessionResponse session) =>
        Assert.Equal(SnapshotOutcome.Taken, await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None));

    private static async Task<List<string>> KeysAsync(CattyTestServer server)
    {
        var keys = new List<string>();
        await foreach (var key in server.App.Services.GetRequiredService<IBlobStore>().ListAsync("", CancellationToken.None))
        {
            keys.Add(key);
        }

        return keys;
    }

    private static async Task<long> SizeAsync(CattyTestServer server)
    {
        var store = server.App.Services.GetRequiredService<IBlobStore>();
        long total = 0;
        foreach (var key in await KeysAsync(server))
        {
            total += await store.GetSizeAsync(key, CancellationToken.None) ?? 0;
        }

        return total;
    }
}
