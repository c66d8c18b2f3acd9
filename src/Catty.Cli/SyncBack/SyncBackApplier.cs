using Catty.Sdk.Terminal;

namespace Catty.Cli.SyncBack;

/// <summary>
/// Applies the session's <c>file_change</c> messages to the local folder through <see cref="ConfinedFolder"/>
/// and keeps count, so that every refused change is reported and none is silently dropped.
/// </summary>
internal sealed class SyncBackApplier(ConfinedFolder folder)
{
    private readonly List<ChangeResult> _refused = [];

    public int Written { get; private set; }

    public int Deleted { get; private set; }

    public IReadOnlyList<ChangeResult> Refused => _refused;

    public ConfinedFolder Folder => folder;

    public ChangeResult Apply(FileChangeMessage change)
    {
        var result = change.Action switch
        {
            "write" => WriteOf(change),
            "delete" => folder.Delete(change.Path),
            _ => ChangeResult.Refused(change.Path, $"the action '{change.Action}' is not write or delete"),
        };
        if (!result.Applied)
        {
            _refused.Add(result);
        }
        else if (change.Action == "write")
        {
            Written++;
        }
        else
        {
            Deleted++;
        }

        return result;
    }

    /// <summary>One line for the end of a connection: what sync-back did.</summary>
    public string Summary() =>
        $"Sync-back: {Written} file{(Written == 1 ? "" : "s")} written, {Deleted} deleted"
        + (_refused.Count == 0 ? "." : $", {_refused.Count} refused (listed above).");

    private ChangeResult WriteOf(FileChangeMessage change)
    {
        byte[] content;
        try
        {
            content = Convert.FromBase64String(change.Content ?? "");
        }
        catch (FormatException)
        {
            return ChangeResult.Refused(change.Path, "its content is not valid base64");
        }

        return folder.Write(change.Path, content, change.Mode);
    }
}
