using System.Security.Cryptography;
using Amazon.S3;
using Catty.Server.Blobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catty.Server.Tests.Blobs;

[Collection(S3rverCollection.Name)]
public sealed class S3BlobStoreTests(S3rverFixture s3rver) : BlobStoreContract
{
    private readonly string _bucket = S3rverFixture.NewBucketName();
    private readonly List<S3BlobStore> _opened = [];

    private protected override async Task<IBlobStore> OpenStoreAsync()
    {
        var store = Open(_bucket);
        await store.EnsureBucketAsync(Ct);
        return store;
    }

    private protected override Task CloseStoreAsync()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task PresignedUrlDownloadsTheObjectUnderTheGivenName()
    {
        const long length = (3L * 1024 * 1024) + 7;
        await Store.PutAsync("downloads/snap_1.tar.gz", new SourceStream(length, seed: 7), Ct);

        var url = await Store.GetDownloadUrlAsync("downloads/snap_1.tar.gz", TimeSpan.FromMinutes(5), "my project.tar.gz", Ct);

        Assert.NotNull(url);
        Assert.Equal(s3rver.ServiceUrl.Authority, url.Authority);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET of the presigned URL answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("attachment; filename=\"my project.tar.gz\"; filename*=UTF-8''my%20project.tar.gz", response.Content.Headers.ContentDisposition?.ToString());
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        Assert.Equal(Convert.ToHexString(await SourceStream.HashAsync(length, seed: 7)), Convert.ToHexString(await SHA256.HashDataAsync(body, Ct)));
    }

    [Fact]
    public async Task PresignedUrlLifetimeIsAtMostAWeek()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.GetDownloadUrlAsync("downloads/a.tar.gz", TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1), "a.tar.gz", Ct));
    }

    [Fact]
    public async Task PrefixKeepsObjectsInTheirOwnFolderOfTheBucket()
    {
        var tenant = Open(_bucket, prefix: "tenant-a/");
        await tenant.PutAsync("snapshots/ses_1/1.json", new MemoryStream([1]), Ct);

        Assert.Equal(["tenant-a/snapshots/ses_1/1.json"], await ListAsync(""));
        Assert.False(await Store.ExistsAsync("snapshots/ses_1/1.json", Ct));
        Assert.True(await tenant.ExistsAsync("snapshots/ses_1/1.json", Ct));
        var listed = new List<string>();
        await foreach (var key in tenant.ListAsync("snapshots/", Ct))
        {
            listed.Add(key);
        }

        Assert.Equal(["snapshots/ses_1/1.json"], listed);
    }

    [Fact]
    public async Task ListFollowsContinuationPages()
    {
        var store = Open(_bucket);
        store.ListPageSize = 2;
        var keys = Enumerable.Range(0, 7).Select(i => $"blobs/sha256/0{i}/k{i}").ToList();
        foreach (var key in keys)
        {
            await store.PutAsync(key, new MemoryStream([(byte)key.Length]), Ct);
        }

        var listed = new List<string>();
        await foreach (var key in store.ListAsync("blobs/", Ct))
        {
            listed.Add(key);
        }

        Assert.Equal(keys, listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMissingBucketIsAnErrorNotAMissingObject()
    {
        var store = Open(S3rverFixture.NewBucketName());

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.OpenReadAsync("downloads/a.tar.gz", Ct));

        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    private S3BlobStore Open(string bucket, string? prefix = null)
    {
        var store = new S3BlobStore(
            new BlobsOptions
            {
                Provider = BlobsOptions.S3Provider,
                Bucket = bucket,
                Prefix = prefix,
                ServiceUrl = s3rver.ServiceUrl.ToString(),
                ForcePathStyle = true,
                AccessKey = S3rverFixture.AccessKey,
                SecretKey = S3rverFixture.SecretKey,
            },
            TimeProvider.System,
            NullLogger<S3BlobStore>.Instance);
        _opened.Add(store);
        return store;
    }
}
