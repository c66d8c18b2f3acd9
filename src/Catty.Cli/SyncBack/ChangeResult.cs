namespace Catty.Cli.SyncBack;

/// <summary>What became of one change applied to the local folder.</summary>
/// <param name="Path">The path as the session sent it.</param>
/// <param name="Refusal">Why it was not applied; null when it was.</param>
internal sealed record ChangeResult(string Path, string? Refusal)
{
    public bool Applied => Refusal is null;

    public static ChangeResult Ok(string path) => new(path, null);

    public static ChangeResult Refused(string path, string reason) => new(path, reason);
}
