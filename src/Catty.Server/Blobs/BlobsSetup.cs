using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Catty.Server.Blobs;

/// <summary>Wires the blob store into the server.</summary>
internal static class BlobsSetup
{
    /// <summary>The configuration key of the server's data folder, under which the folder store lives by default.</summary>
    public const string DataDirKey = "Catty:DataDir";

    /// <summary>
    /// Registers <see cref="BlobsOptions"/> (section <c>Catty:Blobs</c>, validated at start), the
    /// <see cref="IBlobStore"/> they select, and <see cref="BlobDownloadSigner"/>. At start the store is
    /// opened (the folder store clears interrupted writes) and, when asked, the S3 bucket is created.
    /// </summary>
    public static IServiceCollection AddBlobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BlobsOptions>()
            .Bind(configuration.GetSection(BlobsOptions.SectionName))
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.Path) && configuration[DataDirKey] is { Length: > 0 } dataDir)
                {
                    options.Path = Path.GetFullPath(Path.Combine(dataDir, "blobs"));
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlobsOptions>, BlobsOptionsValidator>());

        services.AddSingleton<IBlobStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<BlobsOptions>>().Value;
            return options.IsS3
                ? new S3BlobStore(options, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<S3BlobStore>>())
                : new FolderBlobStore(options.Path!, provider.GetRequiredService<ILogger<FolderBlobStore>>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<BlobsOptions>>().Value;
            // Without a configured key, links are signed with a key derived from the server key, which replicas share;
            // a server without one (a bare blob store) signs with a key of its own.
            var secret = options.DownloadSigningKey is { } key ? Convert.FromBase64String(key)
                : provider.GetService<Auth.ServerKey>() is { } serverKey
                    ? HKDF.DeriveKey(HashAlgorithmName.SHA256, serverKey.Bytes.ToArray(), 32, salt: [], info: "catty download links v1"u8.ToArray())
                    : RandomNumberGenerator.GetBytes(32);
            return new BlobDownloadSigner(secret, provider.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<BlobStoreStartup>();
        return services;
    }
}
