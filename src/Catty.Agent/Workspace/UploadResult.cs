namespace Catty.Agent.Workspace;

/// <summary>The outcome of one workspace upload.</summary>
internal abstract record UploadResult
{
    private UploadResult()
    {
    }

    /// <summary>The archive was extracted into the workspace.</summary>
    /// <param name="Files">Regular files written.</param>
    /// <param name="Directories">Folders the archive holds, implied parents included.</param>
    /// <param name="Bytes">Bytes actually written.</param>
    internal sealed record Ok(int Files, int Directories, long Bytes) : UploadResult;

    /// <summary>The upload was refused and the workspace left exactly as it was.</summary>
    /// <param name="StatusCode">HTTP status to answer with.</param>
    /// <param name="Error">A stable code from <see cref="UploadErrors"/>.</param>
    /// <param name="Message">A human sentence that names the offending entry when there is one.</param>
    internal sealed record Refused(int StatusCode, string Error, string Message) : UploadResult;
}

/// <summary>Values of <see cref="UploadResult.Refused.Error"/>.</summary>
internal static class UploadErrors
{
    /// <summary>413: the body is larger than the compressed limit.</summary>
    public const string UploadTooLarge = "upload_too_large";

    /// <summary>413: the archive expands past the expanded-size limit.</summary>
    public const string ExpandedTooLarge = "expanded_too_large";

    /// <summary>413: the archive holds more entries than allowed.</summary>
    public const string TooManyEntries = "too_many_entries";

    /// <summary>400: an entry name is absolute, climbs with '..', uses a backslash or is otherwise not a plain relative path.</summary>
    public const string UnsafePath = "unsafe_path";

    /// <summary>400: an entry is a symbolic link, a device, a FIFO or a socket.</summary>
    public const string UnsupportedEntry = "unsupported_entry";

    /// <summary>400: two entries name the same path, or one is both a file and a folder.</summary>
    public const string DuplicateEntry = "duplicate_entry";

    /// <summary>400: the body is not a readable zip archive.</summary>
    public const string InvalidZip = "invalid_zip";

    /// <summary>409: an entry clashes with what the workspace already holds (a link, or a file where a folder is needed).</summary>
    public const string PathConflict = "path_conflict";

    /// <summary>409: the workspace already received its upload.</summary>
    public const string AlreadyUploaded = "already_uploaded";

    /// <summary>500/507: the agent could not write the workspace (for example, the disk is full).</summary>
    public const string WriteFailed = "write_failed";
}
