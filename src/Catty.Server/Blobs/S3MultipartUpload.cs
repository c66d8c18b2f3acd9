using Amazon.S3;
using Amazon.S3.Model;

namespace Catty.Server.Blobs;

/// <summary>
/// One multipart upload, part by part from a stream of unknown length, each part sent with a plain
/// (not aws-chunked) body. A failure or cancellation aborts the upload, so the previous object stays
/// and no parts are left billed.
/// </summary>
internal sealed partial class S3MultipartUpload(IAmazonS3 client, string bucket, string objectKey, ILogger logger)
{
    /// <summary>Size of every part but the last, in bytes; S3 wants at least 5 MiB.</summary>
    public const int PartSize = 8 * 1024 * 1024;

    /// <summary>S3's limit on parts per upload (80 GB at <see cref="PartSize"/>).</summary>
    public const int MaxParts = 10_000;

    /// <summary>
    /// Uploads <paramref name="firstLength"/> bytes already read into <paramref name="buffer"/>, then the
    /// rest of <paramref name="content"/>, and completes the upload.
    /// </summary>
    public async Task RunAsync(Stream content, byte[] buffer, int firstLength, CancellationToken ct)
    {
        var started = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = objectKey }, ct).ConfigureAwait(false);
        var uploadId = started.UploadId;
        try
        {
            var parts = new List<PartETag>();
            var length = firstLength;
            while (length > 0)
            {
                if (parts.Count == MaxParts)
                {
                    throw new InvalidOperationException($"Object '{objectKey}' is larger than {MaxParts} parts of {PartSize} bytes.");
                }

                var partNumber = parts.Count + 1;
                using (var body = new MemoryStream(buffer, 0, length, writable: false))
                {
                    var part = await client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = bucket,
                        Key = objectKey,
                        UploadId = uploadId,
                        PartNumber = partNumber,
                        InputStream = body,
                        PartSize = length,
                        UseChunkEncoding = false,
                    }, ct).ConfigureAwait(false);
                    parts.Add(new PartETag(partNumber, part.ETag));
                }

                length = length < PartSize ? 0 : await ReadPartAsync(content, buffer, ct).ConfigureAwait(false);
            }

            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartETags = parts,
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await AbortAsync(uploadId, e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> holds a whole part or the stream ends; returns the bytes read.</summary>
    public static async Task<int> ReadPartAsync(Stream content, byte[] buffer, CancellationToken ct) =>
        await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);

    // Best effort: the original failure is what the caller needs to see. Not cancellable, since the
    // usual reason to be here is a cancelled token.
    private async Task AbortAsync(string uploadId, Exception cause)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = objectKey, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException or TaskCanceledException)
        {
            LogAbortFailed(logger, e, objectKey, uploadId, cause.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the multipart upload {UploadId} of {Key} after {Cause}; a lifecycle rule on the bucket should clean up its parts")]
    private static partial void LogAbortFailed(ILogger logger, Exception exception, string key, string uploadId, string cause);
}
