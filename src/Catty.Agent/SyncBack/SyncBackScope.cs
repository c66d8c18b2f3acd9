using Catty.Agent.Workspace;

namespace Catty.Agent.SyncBack;

/// <summary>Which workspace paths sync-back sends: not excluded folders, and not the upload folder.</summary>
internal static class SyncBackScope
{
    /// <summary>Where mid-session uploads land; they came from the client, so they are not sent back.</summary>
    public const string UploadFolder = ".catty-uploads";

    /// <summary>Whether a workspace-relative path (separated by '/') is synced back.</summary>
    public static bool Includes(string relativePath) =>
        relativePath.Length > 0
        && relativePath != UploadFolder
        && !relativePath.StartsWith(UploadFolder + "/", StringComparison.Ordinal)
        && !WorkspaceExclusions.IsExcludedPath(relativePath);
}
