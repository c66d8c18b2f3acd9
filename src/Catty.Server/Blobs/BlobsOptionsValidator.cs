using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Catty.Server.Blobs;

/// <summary>Checks <see cref="BlobsOptions"/> at start so a wrong setting stops the server with a clear message.</summary>
internal sealed partial class BlobsOptionsValidator : IValidateOptions<BlobsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BlobsOptions options)
    {
        var errors = new List<string>();
        var section = BlobsOptions.SectionName;
        if (string.Equals(options.Provider, BlobsOptions.FolderProvider, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.Path))
            {
                errors.Add($"{section}:Path is required for the folder store when Catty:DataDir is not set.");
            }
            else if (!System.IO.Path.IsPathFullyQualified(options.Path))
            {
                errors.Add($"{section}:Path must be an absolute path, got '{options.Path}'.");
            }
        }
        else if (options.IsS3)
        {
            ValidateS3(options, errors);
        }
        else
        {
            errors.Add($"{section}:Provider must be '{BlobsOptions.FolderProvider}' or '{BlobsOptions.S3Provider}', got '{options.Provider}'.");
        }

        if (options.DownloadSigningKey is { } signingKey && !IsValidSecret(signingKey))
        {
            errors.Add($"{section}:DownloadSigningKey must be base64 for at least {BlobDownloadSigner.MinSecretLength} bytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateS3(BlobsOptions options, List<string> errors)
    {
        var section = BlobsOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            errors.Add($"{section}:Bucket is required for the s3 store.");
        }
        else if (!BucketName().IsMatch(options.Bucket) || options.Bucket.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{section}:Bucket '{options.Bucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-').");
        }

        if (!string.IsNullOrEmpty(options.Prefix) && !BlobKey.IsValid(options.Prefix.TrimEnd('/')))
        {
            errors.Add($"{section}:Prefix '{options.Prefix}' must look like a key: '/'-separated segments of letters, digits, '.', '_' and '-'.");
        }

        if (!string.IsNullOrEmpty(options.ServiceUrl)
            && (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:ServiceUrl must be an absolute http or https URL, got '{options.ServiceUrl}'.");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            errors.Add($"{section}:AccessKey and {section}:SecretKey must be set together (or both left out to use the default credential chain).");
        }
    }

    private static bool IsValidSecret(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length >= BlobDownloadSigner.MinSecretLength;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
