using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Snapshots;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Workspaces;

/// <summary>
/// A per-user storage quota: once reached, new sessions, uploads and snapshots get 402 quota_exceeded naming
/// the quota and the usage, and nothing already stored is lost.
/// </summary>
public sealed class StorageQuotaTests
{
    [Fact]
    public async Task Past_the_quota_creates_uploads_and_snapshots_are_refused_and_what_is_stored_stays()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
            s.Settings["Catty:Storage:QuotaMb"] = "1";
        });
        var content = new byte[700_000];
        new Random(9).NextBytes(content);
        var first = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(first, WorkspaceZip.Build(("data.bin", content, 0x1A4)));
        var service = server.App.Services.GetRequiredService<SnapshotService>();
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(first.SessionId, CancellationToken.None));

        // 0.7 MB stored of 1 MB: another 0.7 MB does not fit.
        var second = await server.CreateShellAsync();
        var (uploadStatus, uploadBody) = await WorkspaceZip.PostAsync(second, WorkspaceZip.Build(("more.bin", Enumerable.Reverse(content).ToArray(), 0x1A4)));
        Assert.Equal(402, uploadStatus);
        Assert.Contains("\"error\":\"quota_exceeded\"", uploadBody, StringComparison.Ordinal);
        Assert.Contains("0.7 MB of 1 MB used", uploadBody, StringComparison.Ordinal);

        // A file made inside the session: the snapshot that would hold it is refused, the previous one stays.
        await File.WriteAllBytesAsync(Path.Combine(SnapshotTests.WorkspaceOf(server, first), "grown.bin"), Enumerable.Reverse(content).ToArray());
        var refusedSnapshot = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.TakeSnapshotAsync(first.Label));
        Assert.Equal((HttpStatusCode.PaymentRequired, "quota_exceeded"), (refusedSnapshot.Status, refusedSnapshot.Error));
        Assert.Contains("Catty:Storage:QuotaMb", refusedSnapshot.ApiMessage, StringComparison.Ordinal);
        var history = await server.Client.ListSnapshotsAsync(first.Label);
        Assert.Equal([700_000L], history.Select(h => h.SizeBytes));

        // Full: a new session is refused too; the stored snapshot still downloads whole.
        await File.WriteAllBytesAsync(Path.Combine(SnapshotTests.WorkspaceOf(server, first), "grown.bin"), new byte[300_000]);
        Assert.Equal(SnapshotOutcome.Taken, await service.TakeAsync(first.SessionId, CancellationToken.None));
        var refusedCreate = await Assert.ThrowsAsync<CattyApiException>(() => server.CreateShellAsync());
        Assert.Equal((HttpStatusCode.PaymentRequired, "quota_exceeded"), (refusedCreate.Status, refusedCreate.Error));
        Assert.Contains("1 MB of 1 MB used", refusedCreate.ApiMessage, StringComparison.Ordinal);
        using var extracted = new TestDataDir();
        await DownloadTests.ExtractAsync(await server.Client.GetDownloadAsync(first.Label), extracted.Path);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(extracted.Path, "data.bin")));
    }

    [Fact]
    public async Task A_quota_of_zero_means_none()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
            s.Settings["Catty:Storage:QuotaMb"] = "0";
        });
        var session = await server.CreateShellAsync();
        var (status, body) = await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(("a.bin", new byte[2_000_000], 0x1A4)));

        Assert.True(status == 200, body);
        Assert.Equal(SnapshotOutcome.Taken, await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None));
    }
}
