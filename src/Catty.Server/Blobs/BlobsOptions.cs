namespace Catty.Server.Blobs;

/// <summary>
/// Where snapshots are stored; bound from the configuration section <c>Catty:Blobs</c>
/// (environment: <c>Catty__Blobs__Provider</c> and so on) and checked at start by
/// <see cref="BlobsOptionsValidator"/>.
/// </summary>
internal sealed class BlobsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Catty:Blobs";

    /// <summary>Value of <see cref="Provider"/> for the folder store.</summary>
    public const string FolderProvider = "folder";

    /// <summary>Value of <see cref="Provider"/> for an S3-compatible store.</summary>
    public const string S3Provider = "s3";

    /// <summary>Which store to use: <c>folder</c> (default) or <c>s3</c>, any case.</summary>
    public string Provider { get; set; } = FolderProvider;

    /// <summary>
    /// Folder store: the folder that holds the objects, absolute. Default: <c>blobs</c> under
    /// <c>Catty:DataDir</c>.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>S3: the bucket name (required).</summary>
    public string? Bucket { get; set; }

    /// <summary>S3: a key prefix that puts Catty's objects in a "folder" of a shared bucket, such as <c>catty</c>. Default: none.</summary>
    public string? Prefix { get; set; }

    /// <summary>S3: the endpoint of an S3-compatible service (MinIO, R2, …), <c>http(s)://host[:port]</c>. Default: AWS for <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>S3: the region, such as <c>us-east-1</c>. Default: the SDK's usual lookup (<c>AWS_REGION</c>, profile), or <c>us-east-1</c> with <see cref="ServiceUrl"/>.</summary>
    public string? Region { get; set; }

    /// <summary>S3: address buckets as <c>host/bucket</c> instead of <c>bucket.host</c>; most S3-compatible services need it. Default: false.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>S3: access key id; with <see cref="SecretKey"/>, or both absent to use the SDK's default credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>S3: secret access key; with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>S3: create the bucket at start when it does not exist (development and tests). Default: false.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>
    /// Base64 secret (at least 32 bytes) that signs the server's own download links for the folder store.
    /// Default: a key derived from the server key, which survives restarts and which replicas on one database
    /// share.
    /// </summary>
    public string? DownloadSigningKey { get; set; }

    /// <summary>Whether <see cref="Provider"/> names the S3 store.</summary>
    public bool IsS3 => string.Equals(Provider, S3Provider, StringComparison.OrdinalIgnoreCase);
}
