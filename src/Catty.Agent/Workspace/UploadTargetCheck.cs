using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Workspace;

/// <summary>
/// Checks a plan against what the workspace already holds, before anything is written: no entry may pass
/// through or replace a link, and a file and a folder may not trade places.
/// </summary>
/// <remarks>
/// The check and the later renames are not atomic together; that is sound only because the upload lands
/// before the session's program starts, so nothing else writes the workspace meanwhile.
/// </remarks>
internal static class UploadTargetCheck
{
    public static UploadResult.Refused? Check(UploadPlan plan, string workspaceDir)
    {
        if (!Directory.Exists(workspaceDir))
        {
            return null;
        }

        string? missingPrefix = null;
        foreach (var (path, isDirectory, entryName) in plan.AllPaths())
        {
            // Ordinal order puts a folder right before everything under it: once a folder is missing from the
            // workspace, so is its whole subtree, and the stats can be skipped.
            if (missingPrefix is not null && path.StartsWith(missingPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            missingPrefix = null;
            var target = Path.Join(workspaceDir, path);
            if (!FsNative.TryStatNoFollow(FsNative.AtFdCwd, target, out var status, out _))
            {
                missingPrefix = path + "/";
                continue;
            }

            var refusal = (status.Kind, isDirectory) switch
            {
                (FileKind.Directory, true) or (FileKind.File, false) => null,
                (FileKind.Symlink, true) => Refuse(400, UploadErrors.UnsafePath, entryName, $"would go through '{path}', a symbolic link"),
                (FileKind.Symlink, false) => Refuse(400, UploadErrors.UnsafePath, entryName, $"would replace '{path}', a symbolic link"),
                (FileKind.Directory, false) => Refuse(409, UploadErrors.PathConflict, entryName, $"is a file but '{path}' is a folder"),
                (FileKind.File, true) => Refuse(409, UploadErrors.PathConflict, entryName, $"needs a folder at '{path}' but finds a file"),
                _ => Refuse(409, UploadErrors.PathConflict, entryName, $"would replace '{path}', a device, FIFO or socket"),
            };
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return null;
    }

    private static UploadResult.Refused Refuse(int status, string error, string entryName, string reason) =>
        new(status, error, $"Entry '{entryName}' {reason} already in the workspace.");
}
