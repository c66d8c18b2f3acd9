using Catty.Server.Blobs;
using Catty.Server.Storage;

namespace Catty.Server.Snapshots;

internal static class SnapshotExtensions
{
    /// <summary>The blob store (under the data directory unless configured) and the snapshot service and schedule.</summary>
    public static IServiceCollection AddSnapshots(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobs(configuration);
        services.AddOptions<BlobsOptions>().PostConfigure<DataDirectory>((blobs, data) =>
        {
            if (!blobs.IsS3 && string.IsNullOrWhiteSpace(blobs.Path))
            {
                blobs.Path = Path.Combine(data.Root, "blobs");
            }
        });
        services.AddOptions<SnapshotOptions>().BindConfiguration(SnapshotOptions.Section)
            .Validate(o => o.FirstDelay >= TimeSpan.Zero && o.Interval > TimeSpan.Zero && o.Tick > TimeSpan.Zero,
                "Catty:Snapshots: FirstDelay must not be negative; Interval and Tick must be positive.")
            .Validate(o => o.History >= 1, "Catty:Snapshots:History must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => o.QuotaMb >= 0 && o.ReclaimInterval > TimeSpan.Zero && o.ReclaimGrace >= TimeSpan.Zero,
                "Catty:Storage: QuotaMb and ReclaimGrace must not be negative; ReclaimInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<StorageQuota>();
        services.AddSingleton<BlobSweepGate>();
        services.AddSingleton<BlobReclaimer>();
        services.AddHostedService<BlobReclaimSchedule>();
        services.AddSingleton<SnapshotManifests>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<SnapshotArchive>();
        services.AddSingleton<SnapshotZip>();
        services.AddSingleton<SnapshotScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<SnapshotScheduler>());
        return services;
    }
}
