using Catty.Server.Snapshots;
using Catty.Server.Tests.Blobs;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Workspaces;

[Collection(S3rverCollection.Name)]
public sealed class S3SnapshotTests(S3rverFixture s3rver)
{
    [Fact]
    public async Task Snapshots_go_to_S3_and_download_through_a_presigned_link()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Snapshots:FirstDelay"] = "01:00:00";
            s.Settings["Catty:Blobs:Provider"] = "s3";
            s.Settings["Catty:Blobs:Bucket"] = S3rverFixture.NewBucketName();
            s.Settings["Catty:Blobs:Prefix"] = "catty";
            s.Settings["Catty:Blobs:ServiceUrl"] = s3rver.ServiceUrl.ToString();
            s.Settings["Catty:Blobs:ForcePathStyle"] = "true";
            s.Settings["Catty:Blobs:AccessKey"] = S3rverFixture.AccessKey;
            s.Settings["Catty:Blobs:SecretKey"] = S3rverFixture.SecretKey;
            s.Settings["Catty:Blobs:CreateBucket"] = "true";
        });
        var session = await server.CreateShellAsync();
        await WorkspaceZip.PostAsync(session, WorkspaceZip.Build(
            ("bin/tool", WorkspaceZip.Text("#!/bin/sh\n"), 0x1ED), ("readme.md", WorkspaceZip.Text("# hi\n"), 0x1A4), ("empty/", null, 0x1ED)));
        Assert.Equal(SnapshotOutcome.Taken, await server.App.Services.GetRequiredService<SnapshotService>().TakeAsync(session.SessionId, CancellationToken.None));

        var download = await server.Client.GetDownloadAsync(session.Label);
        using var extracted = new TestDataDir();
        await DownloadTests.ExtractAsync(download, extracted.Path);

        Assert.StartsWith(s3rver.ServiceUrl.GetLeftPart(UriPartial.Authority), download.DownloadUrl, StringComparison.Ordinal);
        Assert.Equal(DownloadTests.Describe(SnapshotTests.WorkspaceOf(server, session)), DownloadTests.Describe(extracted.Path));
    }
}
