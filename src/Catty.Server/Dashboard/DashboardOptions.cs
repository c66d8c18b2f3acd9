namespace Catty.Server.Dashboard;

/// <summary>The web dashboard's settings, bound from <c>Catty:Dashboard</c>.</summary>
internal sealed class DashboardOptions
{
    public const string Section = "Catty:Dashboard";

    /// <summary>
    /// Folder holding the built dashboard (<c>index.html</c>, <c>assets/</c>). Default: <c>dashboard</c> next to
    /// the server binary, where the build puts it. A folder without <c>index.html</c> means "not built".
    /// </summary>
    public string? Dir { get; set; }

    /// <summary>How often the sessions page refreshes itself. Default 30 seconds; 1 second to 1 hour.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    public string ResolvedDir => string.IsNullOrWhiteSpace(Dir) ? Path.Combine(AppContext.BaseDirectory, "dashboard") : Path.GetFullPath(Dir);
}
