using Microsoft.Extensions.Options;

namespace Catty.Server.Blobs;

/// <summary>
/// Opens the blob store while the server starts rather than on the first snapshot, so that a store that
/// cannot be opened stops the start and the folder store's crash cleanup runs before any write.
/// </summary>
internal sealed class BlobStoreStartup(IBlobStore store, IOptions<BlobsOptions> options) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is S3BlobStore s3 && options.Value.CreateBucket)
        {
            await s3.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
