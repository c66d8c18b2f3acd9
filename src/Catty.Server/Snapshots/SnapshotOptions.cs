namespace Catty.Server.Snapshots;

/// <summary>Workspace snapshots, bound from <c>Catty:Snapshots</c>.</summary>
internal sealed class SnapshotOptions
{
    public const string Section = "Catty:Snapshots";

    /// <summary>The first snapshot comes this long after a session starts. Default 10 s.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Then one this often, stored only when the workspace changed. Default 30 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the schedule is looked at. Default 1 s.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Snapshots kept per session; older manifests are deleted (their blobs stay). Default 10.</summary>
    public int History { get; set; } = 10;

    /// <summary>How long a download link works. Default 15 min.</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a final snapshot may hold up a stop. Default 60 s.</summary>
    public TimeSpan FinalTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
