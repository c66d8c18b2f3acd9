using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;

namespace Catty.Server.Blobs;

/// <summary>
/// A blob store on any S3-compatible service. Uploads never use aws-chunked bodies or optional
/// checksums: several S3-compatible servers accept those and then store the chunk framing as part of the
/// object. That rules out the SDK's TransferUtility, so large objects go through
/// <see cref="S3MultipartUpload"/> instead.
/// </summary>
internal sealed partial class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>Presigned URLs live at most this long (the limit of SigV4 query signing).</summary>
    public static readonly TimeSpan MaxDownloadUrlLifetime = TimeSpan.FromDays(7);

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly Protocol _urlProtocol;
    private readonly TimeProvider _time;
    private readonly ILogger<S3BlobStore> _logger;

    /// <summary>Connects to the store that <paramref name="options"/> describe (already validated).</summary>
    public S3BlobStore(BlobsOptions options, TimeProvider time, ILogger<S3BlobStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket ?? throw new ArgumentException("The bucket is required.", nameof(options));
        _prefix = string.IsNullOrEmpty(options.Prefix) ? "" : options.Prefix.TrimEnd('/') + "/";
        _time = time;
        _logger = logger;

        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = string.IsNullOrEmpty(options.Region) ? "us-east-1" : options.Region;
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        // Presigned URLs default to https; a plain-http endpoint (a local MinIO) needs http links.
        _urlProtocol = options.ServiceUrl?.StartsWith("http:", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
        _client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <summary>Most keys one list request asks for; S3's own limit is 1000.</summary>
    internal int ListPageSize { get; set; } = 1000;

    /// <summary>Creates the bucket unless it exists (for development and tests).</summary>
    public async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (await AmazonS3Util.DoesS3BucketExistV2Async(_client, _bucket).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            // Created by someone else meanwhile.
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = ObjectKey(key);
        var buffer = ArrayPool<byte>.Shared.Rent(S3MultipartUpload.PartSize);
        try
        {
            var length = await S3MultipartUpload.ReadPartAsync(content, buffer, ct).ConfigureAwait(false);
            if (length < S3MultipartUpload.PartSize)
            {
                using var body = new MemoryStream(buffer, 0, length, writable: false);
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = objectKey,
                    InputStream = body,
                    AutoCloseStream = false,
                    UseChunkEncoding = false,
                }, ct).ConfigureAwait(false);
                return;
            }

            var upload = new S3MultipartUpload(_client, _bucket, objectKey, _logger);
            await upload.RunAsync(content, buffer, length, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    /// <summary>An S3 put is durable once it is acknowledged, so there is nothing to flush later.</summary>
    public Task PutUnflushedAsync(string key, Stream content, CancellationToken ct) => PutAsync(key, content, ct);

    public Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = objectKey }, ct).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (IsMissingObject(e))
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken ct) =>
        await GetSizeAsync(key, ct).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public async Task<long?> GetSizeAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        try
        {
            var response = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = objectKey }, ct).ConfigureAwait(false);
            return response.ContentLength;
        }
        catch (AmazonS3Exception e) when (IsMissingObject(e))
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        BlobKey.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix, MaxKeys = ListPageSize };
        ListObjectsV2Response response;
        do
        {
            response = await _client.ListObjectsV2Async(request, ct).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                // Objects that others put in a shared bucket may not be keys at all; they are not ours.
                var key = item.Key[_prefix.Length..];
                if (BlobKey.IsValid(key))
                {
                    yield return key;
                }
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true && !string.IsNullOrEmpty(response.NextContinuationToken));
    }

    /// <summary>A presigned GET that answers with <c>Content-Disposition: attachment</c> for <paramref name="downloadFileName"/>.</summary>
    public async Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, string downloadFileName, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        DownloadFileName.Validate(downloadFileName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxDownloadUrlLifetime);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            Verb = HttpVerb.GET,
            Protocol = _urlProtocol,
            Expires = (_time.GetUtcNow() + lifetime).UtcDateTime,
            ResponseHeaderOverrides = new ResponseHeaderOverrides
            {
                ContentDisposition = DownloadFileName.ToContentDisposition(downloadFileName),
            },
        };
        return new Uri(await _client.GetPreSignedURLAsync(request).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    // A missing bucket is a configuration error, not a missing object. HEAD responses carry no error
    // code, so there both look alike.
    private static bool IsMissingObject(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket";

    private string ObjectKey(string key)
    {
        BlobKey.Validate(key);
        return _prefix + key;
    }
}
