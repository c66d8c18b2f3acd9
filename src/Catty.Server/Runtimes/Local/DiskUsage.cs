namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Adds up the sizes of the files under a machine's folders, stopping as soon as they pass a limit. Links are
/// counted as themselves, never followed; folders the server cannot read are skipped. Sparse files count at their
/// full length, the safe side for a limit.
/// </summary>
internal static class DiskUsage
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    public static bool Exceeds(IEnumerable<string> folders, long limitBytes)
    {
        long total = 0;
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            try
            {
                foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", Everything))
                {
                    total += file.Length;
                    if (total > limitBytes)
                    {
                        return true;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A folder removed while walked: what was counted stands.
            }
        }

        return false;
    }
}
