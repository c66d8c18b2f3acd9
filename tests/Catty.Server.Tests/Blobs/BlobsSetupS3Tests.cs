using Catty.Server.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace Catty.Server.Tests.Blobs;

[Collection(S3rverCollection.Name)]
public sealed class BlobsSetupS3Tests(S3rverFixture s3rver)
{
    [Fact]
    public async Task TheS3StoreCreatesItsBucketAtStartWhenAsked()
    {
        using var host = await BlobsSetupTests.StartAsync(
            ("Catty:Blobs:Provider", "S3"),
            ("Catty:Blobs:Bucket", S3rverFixture.NewBucketName()),
            ("Catty:Blobs:Prefix", "catty"),
            ("Catty:Blobs:ServiceUrl", s3rver.ServiceUrl.ToString()),
            ("Catty:Blobs:ForcePathStyle", "true"),
            ("Catty:Blobs:AccessKey", S3rverFixture.AccessKey),
            ("Catty:Blobs:SecretKey", S3rverFixture.SecretKey),
            ("Catty:Blobs:CreateBucket", "true"));

        var store = Assert.IsType<S3BlobStore>(host.Services.GetRequiredService<IBlobStore>());
        await store.PutAsync("snapshots/ses_1/1.json", new MemoryStream("{}"u8.ToArray()), CancellationToken.None);
        Assert.Equal(2, await store.GetSizeAsync("snapshots/ses_1/1.json", CancellationToken.None));
    }

    [Fact]
    public async Task WithoutCreateBucketAMissingBucketIsNotCreated()
    {
        var bucket = S3rverFixture.NewBucketName();
        using var host = await BlobsSetupTests.StartAsync(
            ("Catty:Blobs:Provider", "s3"),
            ("Catty:Blobs:Bucket", bucket),
            ("Catty:Blobs:ServiceUrl", s3rver.ServiceUrl.ToString()),
            ("Catty:Blobs:ForcePathStyle", "true"),
            ("Catty:Blobs:AccessKey", S3rverFixture.AccessKey),
            ("Catty:Blobs:SecretKey", S3rverFixture.SecretKey));

        var store = host.Services.GetRequiredService<IBlobStore>();
        var error = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => store.PutAsync("downloads/a.tar.gz", new MemoryStream([1]), CancellationToken.None));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }
}
